"""The demo province: provincial agencies (some with departments) and the communes and wards of the
two-level local government. The names follow the real pattern (the province is Tuyên Quang after the
2025 merger) but the data, people and figures are invented."""
from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODE = "TINH"
PROVINCE_NAME = "Tỉnh Tuyên Quang"


@dataclass(frozen=True)
class Department:
    code: str  # unique across the whole tree
    name: str
    head: str = "Trưởng phòng"  # title of its head (a faculty has "Trưởng khoa")
    deputy: str = "Phó Trưởng phòng"


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    head: str  # chức danh of the agency head
    deputy: str
    staff_jobs: tuple[str, ...]  # vị trí việc làm of its specialists
    departments: tuple[Department, ...] = ()
    # Deputies of the Party's own boards are managed by the provincial Standing Committee too.
    deputy_standing: bool = False


AGENCIES: tuple[Agency, ...] = (
    Agency("BTCTU", "Ban Tổ chức Tỉnh ủy", "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tổ chức Tỉnh ủy",
           "Phó Trưởng Ban Tổ chức Tỉnh ủy",
           ("Chuyên viên công tác cán bộ", "Chuyên viên tổ chức đảng, đảng viên",
            "Chuyên viên bảo vệ chính trị nội bộ"),
           (Department("BTCTU-CB", "Phòng Cán bộ"),
            Department("BTCTU-TCDDV", "Phòng Tổ chức đảng, đảng viên")),
           deputy_standing=True),
    Agency("BTGDVTU", "Ban Tuyên giáo và Dân vận Tỉnh ủy",
           "Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
           "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
           ("Chuyên viên tuyên truyền, báo chí", "Chuyên viên lý luận chính trị", "Chuyên viên công tác dân vận"),
           (Department("BTGDVTU-LLCT", "Phòng Lý luận chính trị và Lịch sử Đảng"),
            Department("BTGDVTU-DV", "Phòng Dân vận")),
           deputy_standing=True),
    Agency("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
           "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", ("Kiểm tra viên", "Kiểm tra viên chính"),
           deputy_standing=True),
    Agency("VPTU", "Văn phòng Tỉnh ủy", "Tỉnh ủy viên, Chánh Văn phòng Tỉnh ủy", "Phó Chánh Văn phòng Tỉnh ủy",
           ("Chuyên viên tổng hợp", "Chuyên viên quản trị - tài vụ", "Văn thư - lưu trữ")),
    Agency("SNV", "Sở Nội vụ", "Tỉnh ủy viên, Giám đốc Sở Nội vụ", "Phó Giám đốc Sở Nội vụ",
           ("Chuyên viên quản lý tổ chức, biên chế", "Chuyên viên quản lý chính quyền địa phương",
            "Chuyên viên quản lý công chức, viên chức"),
           (Department("SNV-TCBC", "Phòng Tổ chức, biên chế"),
            Department("SNV-XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên"))),
    Agency("SKHCN", "Sở Khoa học và Công nghệ", "Giám đốc Sở Khoa học và Công nghệ",
           "Phó Giám đốc Sở Khoa học và Công nghệ",
           ("Chuyên viên chuyển đổi số", "Chuyên viên quản lý khoa học", "Chuyên viên an toàn thông tin"),
           (Department("SKHCN-CDS", "Phòng Chuyển đổi số"),)),
    Agency("STC", "Sở Tài chính", "Giám đốc Sở Tài chính", "Phó Giám đốc Sở Tài chính",
           ("Chuyên viên quản lý ngân sách", "Chuyên viên quản lý đầu tư", "Kế toán viên")),
    Agency("SGDDT", "Sở Giáo dục và Đào tạo", "Giám đốc Sở Giáo dục và Đào tạo",
           "Phó Giám đốc Sở Giáo dục và Đào tạo",
           ("Chuyên viên quản lý giáo dục phổ thông", "Chuyên viên khảo thí và kiểm định chất lượng")),
    Agency("SNNMT", "Sở Nông nghiệp và Môi trường", "Giám đốc Sở Nông nghiệp và Môi trường",
           "Phó Giám đốc Sở Nông nghiệp và Môi trường",
           ("Chuyên viên quản lý đất đai", "Chuyên viên phát triển nông thôn", "Chuyên viên quản lý môi trường")),
    Agency("SYT", "Sở Y tế", "Giám đốc Sở Y tế", "Phó Giám đốc Sở Y tế",
           ("Chuyên viên quản lý y tế", "Chuyên viên dân số")),
    Agency("TCT", "Trường Chính trị tỉnh", "Hiệu trưởng Trường Chính trị tỉnh", "Phó Hiệu trưởng Trường Chính trị tỉnh",
           ("Chuyên viên quản lý đào tạo", "Chuyên viên quản lý khoa học"),
           (Department("TCT-XDD", "Khoa Xây dựng Đảng", "Trưởng khoa", "Phó Trưởng khoa"),
            Department("TCT-LLCS", "Khoa Lý luận cơ sở", "Trưởng khoa", "Phó Trưởng khoa"),
            Department("TCT-NNPL", "Khoa Nhà nước và Pháp luật", "Trưởng khoa", "Phó Trưởng khoa"),
            Department("TCT-QLDT", "Phòng Quản lý đào tạo và Nghiên cứu khoa học"))),
    Agency("MTTQ", "Ủy ban MTTQ Việt Nam tỉnh", "Ủy viên Ban Thường vụ Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
           "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
           ("Chuyên viên công tác mặt trận", "Chuyên viên công tác đoàn thể")),
)

# Ethnic mix of the cadres of a locality, by the kind of area it is (relative weights).
MIXES: dict[str, dict[str, int]] = {
    "town": {"Kinh": 76, "Tày": 16, "Nùng": 4, "Dao": 3, "Hoa": 3, "Mông": 2},
    "lowland": {"Kinh": 60, "Tày": 26, "Sán Chay": 7, "Dao": 7, "Nùng": 4},
    "valley": {"Tày": 30, "Dao": 22, "Kinh": 34, "Nùng": 10, "Mông": 6, "La Chí": 3, "Pà Thẻn": 3},
    "highland": {"Mông": 50, "Kinh": 20, "Dao": 8, "Tày": 6, "Lô Lô": 6, "Giáy": 5, "Hoa": 2, "Pu Péo": 2},
    "agency": {"Kinh": 75, "Tày": 14, "Nùng": 5, "Dao": 5, "Mông": 3, "Hoa": 1},
}


@dataclass(frozen=True)
class Locality:
    code: str
    name: str
    kind: str  # domain.UnitKind.COMMUNE or WARD
    mix: str  # key of MIXES

    @property
    def level(self) -> str:
        """"xã" or "phường", as used in job titles."""
        return "phường" if self.kind == "ward" else "xã"


def _ward(code: str, name: str) -> Locality:
    return Locality(f"PHUONG-{code}", f"Phường {name}", "ward", "town")


def _commune(code: str, name: str, mix: str) -> Locality:
    return Locality(f"XA-{code}", f"Xã {name}", "commune", mix)


LOCALITIES: tuple[Locality, ...] = (
    _ward("HAGIANG1", "Hà Giang 1"),
    _ward("HAGIANG2", "Hà Giang 2"),
    _ward("MINHXUAN", "Minh Xuân"),
    _ward("NONGTIEN", "Nông Tiến"),
    _ward("ANTUONG", "An Tường"),
    _commune("MINHQUANG", "Minh Quang", "lowland"),
    _commune("TANTRAO", "Tân Trào", "lowland"),
    _commune("SONDUONG", "Sơn Dương", "lowland"),
    _commune("HAMYEN", "Hàm Yên", "lowland"),
    _commune("CHIEMHOA", "Chiêm Hóa", "lowland"),
    _commune("BACQUANG", "Bắc Quang", "lowland"),
    _commune("VIXUYEN", "Vị Xuyên", "lowland"),
    _commune("LAMBINH", "Lâm Bình", "valley"),
    _commune("NAHANG", "Na Hang", "valley"),
    _commune("THUONGLAM", "Thượng Lâm", "valley"),
    _commune("BACME", "Bắc Mê", "valley"),
    _commune("HOANGSUPHI", "Hoàng Su Phì", "valley"),
    _commune("XINMAN", "Xín Mần", "valley"),
    _commune("QUANBA", "Quản Bạ", "highland"),
    _commune("YENMINH", "Yên Minh", "highland"),
    _commune("DONGVAN", "Đồng Văn", "highland"),
    _commune("MEOVAC", "Mèo Vạc", "highland"),
)


def all_codes() -> list[str]:
    codes = [PROVINCE_CODE]
    for agency in AGENCIES:
        codes.append(agency.code)
        codes.extend(d.code for d in agency.departments)
    codes.extend(loc.code for loc in LOCALITIES)
    return codes
