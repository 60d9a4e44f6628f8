def test_the_workbench_asks_for_a_login_in_chinese(client, db):
    response = client.get("/my/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/?next=/my/", 302)
    assert response.status_code == 200
    page = response.content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page


def test_a_wrong_password_is_told_in_chinese(client, db):
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_static_assets_are_served_by_the_app_itself(client, db):
    for path in ("/static/tuixuan/site.css", "/static/tuixuan/site.js"):
        response = client.get(path)
        assert response.status_code == 200, path
