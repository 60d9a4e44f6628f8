def test_the_front_door_leads_to_the_back_office_login(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == ("/admin/", 302)
    assert response.status_code == 200
    assert "登录" in response.content.decode()
