"""Vietnamese personal names for the demo, by ethnic group.

Kinh family names follow their rough national frequency (Nguyễn about a third); the minority groups of a
northern mountain province use their own common family names (Mông: Giàng, Vàng, Sùng...; Dao: Triệu,
Bàn, Đặng...; Tày and Nùng: Hoàng, Nông, Ma...). Weights are relative.
"""
from __future__ import annotations

import random

KINH_FAMILY = {
    "Nguyễn": 31, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Vũ": 4, "Phan": 4, "Đặng": 2, "Bùi": 2,
    "Đỗ": 2, "Hồ": 1, "Ngô": 1, "Dương": 1, "Lý": 1, "Đinh": 1, "Đào": 1, "Trịnh": 1, "Lương": 1, "Mai": 1,
    "Tạ": 1, "Hà": 1, "Chu": 1,
}
MIDDLE = {
    "male": {"Văn": 10, "Đức": 3, "Minh": 3, "Quang": 2, "Hữu": 2, "Xuân": 2, "Thanh": 2, "Mạnh": 1, "Công": 1,
             "Ngọc": 1, "Tiến": 1, "Trung": 1, "Việt": 1},
    "female": {"Thị": 12, "Thu": 2, "Ngọc": 2, "Thanh": 2, "Minh": 1, "Phương": 1, "Hồng": 1, "Thùy": 1,
               "Kim": 1, "Bích": 1, "Hải": 1},
}
GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Hưng", "Huy", "Khánh", "Long", "Nam", "Phong",
             "Quân", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Hiếu", "Đạt", "Hoàng", "Kiên", "Tùng",
             "Lâm", "Hòa", "Toàn", "Vinh", "Đông", "Thịnh", "Quyết", "Chiến", "Đức", "Tú", "Hiệp", "Lực"),
    "female": ("Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Huyền", "Hương", "Lan",
               "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo",
               "Thủy", "Trang", "Vân", "Yến", "Thư", "Nhàn", "Hậu", "Tuyết", "Hồng", "Lụa", "Thêu"),
}

# Family names per minority group; given names follow Kinh patterns unless the group has its own below.
MINORITY_FAMILY = {
    "Tày": {"Hoàng": 4, "Nông": 3, "Ma": 3, "Hà": 2, "Lưu": 2, "Bế": 1, "Lý": 1, "Đàm": 1, "Quan": 1,
            "Lương": 1, "Triệu": 1},
    "Nùng": {"Nông": 3, "Hoàng": 3, "Lương": 2, "Vi": 1, "Lăng": 1, "Chu": 1, "Mã": 1, "Sầm": 1},
    "Dao": {"Triệu": 4, "Bàn": 4, "Đặng": 3, "Lý": 2, "Phùng": 1, "Chảo": 1},
    "Mông": {"Giàng": 4, "Vàng": 4, "Sùng": 3, "Lù": 2, "Thào": 2, "Mua": 1, "Hờ": 1, "Ly": 1, "Lầu": 1,
             "Vừ": 1},
    "Hoa": {"Lục": 2, "Mã": 1, "Trương": 1, "Lâm": 1, "Hứa": 1, "Dương": 1},
    "Sán Chay": {"Lâm": 2, "Đàm": 1, "Hoàng": 1, "La": 1, "Trần": 1},
    "Giáy": {"Hoàng": 2, "Lù": 1, "Sần": 1, "Vương": 1},
    "Lô Lô": {"Lò": 2, "Sình": 1, "Vàng": 1},
    "La Chí": {"Hoàng": 1, "Vương": 1, "Lèng": 1},
    "Pà Thẻn": {"Hoàng": 1, "Lương": 1, "Phương": 1},
    "Pu Péo": {"Cháng": 1, "Hoàng": 1, "Vần": 1},
}

# Mông personal names have their own shape: "Giàng Seo Páo", "Vàng Thị Mỷ".
MONG_MIDDLE = {"male": {"A": 3, "Seo": 3, "Mí": 3, "Chứ": 1, "Văn": 2}, "female": {"Thị": 1}}
MONG_GIVEN = {
    "male": ("Páo", "Chư", "Sính", "Súa", "Lử", "Dính", "Pó", "Chớ", "Dình", "Tủa", "Nhà", "Sử", "Sình",
             "Chúng", "Vảng", "Giàng"),
    "female": ("Mỷ", "Dua", "Sầu", "Mai", "Chở", "Pà", "Ly", "Dợ", "Súa", "Mày", "Dế", "Chá"),
}
# Dao names often carry "Tiến", "Kim" or "Văn" and a short given name.
DAO_MIDDLE = {"male": {"Văn": 4, "Tiến": 2, "Kim": 1}, "female": {"Thị": 5, "Kim": 1}}
DAO_GIVEN = {
    "male": ("Quý", "Lâm", "Sinh", "Phin", "Tòng", "Minh", "Thọ", "Lở", "Hương", "Tài", "Quang", "Vần"),
    "female": ("Kiều", "Mai", "Dung", "Xuân", "Liên", "Phượng", "Tươi", "Hiền", "Lan", "Sen"),
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def full_name(rng: random.Random, gender: str, ethnicity: str) -> str:
    """A plausible full name for a person of this gender ("male"/"female") and ethnic group."""
    family = _pick(rng, MINORITY_FAMILY.get(ethnicity, KINH_FAMILY))
    if ethnicity == "Mông":
        return f"{family} {_pick(rng, MONG_MIDDLE[gender])} {rng.choice(MONG_GIVEN[gender])}"
    if ethnicity == "Dao":
        return f"{family} {_pick(rng, DAO_MIDDLE[gender])} {rng.choice(DAO_GIVEN[gender])}"
    middle = _pick(rng, MIDDLE[gender])
    given = rng.choice(GIVEN[gender])
    if given == middle:
        given = rng.choice(GIVEN[gender])
    # A few people carry a double middle name: "Nguyễn Thị Thu Hương", "Trần Văn Minh Đức".
    if rng.random() < 0.12:
        extra = rng.choice(("Thu", "Minh", "Ngọc", "Thanh", "Hồng")) if gender == "female" else \
            rng.choice(("Minh", "Đức", "Quang", "Xuân"))
        if extra != middle and extra != given:
            middle = f"{middle} {extra}"
    return f"{family} {middle} {given}"
