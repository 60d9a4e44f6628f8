from tuixuan.common.text import count_chars, normalise_name


def test_characters_are_counted_without_any_whitespace_but_with_punctuation():
    assert count_chars("科技 志愿\n服务，\t好！\u3000") == 9


def test_empty_text_counts_zero():
    assert count_chars("") == 0
    assert count_chars(None) == 0


def test_names_match_across_spaces_full_width_and_traditional_characters():
    assert normalise_name("張 偉") == normalise_name("张伟")
    assert normalise_name("ＡＢＣ科技志願服務隊") == normalise_name("abc科技志愿服务队")
    assert normalise_name("阿卜杜·热合曼") == normalise_name("阿卜杜・热合曼")


def test_different_names_stay_different():
    assert normalise_name("张伟") != normalise_name("张玮")
