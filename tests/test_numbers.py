import pytest

from transforms.numbers import parse_chinese_numeral, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("三", 3), ("十二", 12), ("两万", 20000), ("一百零五", 105), ("三千二百", 3200),
    ("十", 10), ("一万二千", 12000), ("零", 0), ("二〇一四", 2014),
])
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("1,142,017", 1142017), ("5949.088667", 5949.088667), ("150", 150), ("3.2万", 32000),
])
def test_printed_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_not_a_number():
    assert parse_number("公开") is None
    assert parse_chinese_numeral("十二条") is None
