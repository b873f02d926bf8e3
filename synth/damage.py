# ruff: noqa: E501  (long lines are report text and page markup)
"""The damage real scraped report files carry: traditional script, pinyin glued after
characters, GBK mis-alignment mojibake at paragraph starts, and the byte encodings."""

from __future__ import annotations

import opencc

_S2TW = opencc.OpenCC("s2tw")


def to_traditional(text: str) -> str:
    """Simplified -> traditional as the scraped pages have it.

    OpenCC's s2t gives the OpenCC standard forms (爲, 羣衆, 審覈), which real pages rarely
    show; the seeds have the Taiwan-standard forms (為, 群眾, 審核) and 發布/公布, so use s2tw
    and undo its 發佈/公佈. s2tw output also fits Big5, which s2t output does not (爲).
    """
    return _S2TW.convert(text).replace("發佈", "發布").replace("公佈", "公布")



HALFWIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";"})

# Pinyin that some converted pages glue after characters: 報(bào)告, 申請(qǐng).
PINYIN = {
    "報": "bào",
    "據": "jù",
    "鄉": "xiāng",
    "鎮": "zhèn",
    "關": "guān",
    "會": "huì",
    "實": "shí",
    "網": "wǎng",
    "請": "qǐng",
    "動": "dòng",
    "結": "jié",
    "現": "xiàn",
    "復": "fù",
    "複": "fù",
    "進": "jìn",
    "項": "xiàng",
    "區": "qū",
    "務": "wù",
    "導": "dǎo",
    "強": "qiáng",
    "訓": "xùn",
    "規": "guī",
    "衛": "wèi",
    "產": "chǎn",
    "應": "yīng",
    "標": "biāo",
    "準": "zhǔn",
    "點": "diǎn",
    "體": "tǐ",
    "過": "guò",
    "處": "chù",
    "費": "fèi",
    "發": "fā",
    "劃": "huà",
    "與": "yǔ",
    "辦": "bàn",
    "設": "shè",
    "組": "zǔ",
    "織": "zhī",
    "審": "shěn",
    "確": "què",
    "議": "yì",
    "態": "tài",
    "類": "lèi",
}


def glue_pinyin(text: str) -> str:
    return "".join(ch + f"({PINYIN[ch]})" if ch in PINYIN else ch for ch in text)


def gbk_misalign(line: str) -> str:
    """Mojibake of a paragraph whose first GBK byte was lost.

    Encode the line in GBK, drop the first byte, decode the rest with errors="replace":
    every following pair is read one byte off ("　（一）" -> "。ㄒ唬") until an invalid pair
    re-synchronises the stream. The lost byte and the invalid pairs show up as "?", as in
    the real pages (seeds/001).
    """
    b = line.encode("gbk")
    return "?" + b[1:].decode("gbk", errors="replace").replace("\ufffd", "?")


def mojibake_paragraph_starts(text: str) -> str:
    return "\n".join(gbk_misalign(ln) if ln.startswith("　（") else ln for ln in text.split("\n"))



def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)  # strict: a character the codec lacks is an error


def decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-16":
        assert data[:2] == b"\xff\xfe"
        return data[2:].decode("utf-16-le")
    return data.decode(encoding)

