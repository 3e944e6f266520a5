"""The demo courses' words: titles, summaries and lesson texts, in Vietnamese. Pure data: no database.

Texts are written in a small markup, turned into the simple HTML of a page lesson by to_html() and
into the blocks of a PDF by blocks():
    ## Heading                  a section heading (<h2>)
    ### Heading                 a sub-heading (<h3>)
    - item                      a bullet (continuation lines are indented by two spaces)
    | cell | cell |             a table row (the first row is the header)
    a line of text              a paragraph (consecutive lines are joined; a blank line ends it)
    **words**                   bold (<strong>)
The texts summarise public documents for study; they are no substitute for the documents themselves.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def blocks(text: str) -> list[tuple]:
    """[("h2", text) | ("h3", text) | ("p", text) | ("ul", [items]) | ("table", [[cells]])]."""
    out: list[tuple] = []
    para: list[str] = []
    items: list[str] = []
    rows: list[list[str]] = []

    def close() -> None:
        if para:
            out.append(("p", " ".join(para)))
            para.clear()
        if items:
            out.append(("ul", list(items)))
            items.clear()
        if rows:
            out.append(("table", [list(r) for r in rows]))
            rows.clear()

    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("### ") or line.startswith("## "):
            close()
            level, _, title = line.partition(" ")
            out.append(("h3" if level == "###" else "h2", title.strip()))
        elif line.startswith("- "):
            if para or rows:
                close()
            items.append(line[2:].strip())
        elif line.startswith("|"):
            if para or items:
                close()
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif items and raw.startswith("  "):
            items[-1] += " " + line
        else:
            if items or rows:
                close()
            para.append(line)
    close()
    return out


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text, quote=False))


def to_html(text: str) -> str:
    """The HTML of a page lesson (h2, h3, p, ul/li, table, strong only)."""
    parts = []
    for kind, content in blocks(text):
        if kind in ("h2", "h3", "p"):
            parts.append(f"<{kind}>{_inline(content)}</{kind}>")
        elif kind == "ul":
            parts.append("<ul>\n" + "\n".join(f"<li>{_inline(item)}</li>" for item in content) + "\n</ul>")
        else:
            head, *body = content
            parts.append(
                "<table><thead><tr>" + " ".join(f'<th scope="col">{_inline(c)}</th>' for c in head) + "</tr></thead>\n"
                "<tbody>" + "\n".join("<tr>" + " ".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in body)
                + "</tbody></table>")
    return "\n".join(parts)


def plain_words(text: str) -> int:
    """How many words the reader sees (markup removed)."""
    return len(re.sub(r"[#|*]|^- ", " ", text, flags=re.M).split())


@dataclass(frozen=True)
class LessonText:
    title: str
    text: str = ""  # page text; for a document or link lesson, the short note shown above it
    kind: str = "page"  # catalog.LessonKind value
    minutes: int | None = None
    url: str = ""  # link lessons
    document: str = ""  # document lessons: key of the generated PDF (DOCUMENTS)
    manual: bool = False  # the learner marks it done (instead of done on view)


@dataclass(frozen=True)
class SectionText:
    title: str
    lessons: tuple[LessonText, ...]
    summary: str = ""


@dataclass(frozen=True)
class CourseText:
    code: str
    title: str
    category: str  # CourseCategory.code (seeded by migration 0002)
    kind: str  # catalog.CourseKind value
    hours: float
    summary: str
    sections: tuple[SectionText, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentText:
    title: str
    subtitle: str
    issuer: str
    file_name: str
    text: str


# =====================================================================================================
# 1. Nghị quyết số 57-NQ/TW
# =====================================================================================================

NQ57_CONTEXT = """
## Bối cảnh quốc tế
Cuộc Cách mạng công nghiệp lần thứ tư đang diễn ra mạnh mẽ, tác động sâu rộng đến mọi mặt của đời sống
kinh tế - xã hội. Trí tuệ nhân tạo, dữ liệu lớn, điện toán đám mây, Internet vạn vật, công nghệ bán dẫn
phát triển rất nhanh, làm thay đổi phương thức sản xuất, kinh doanh, quản trị và cách người dân tiếp cận
dịch vụ. Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trở thành nhân tố quyết định năng lực
cạnh tranh của mỗi quốc gia; nhiều nước đã xác định đây là ưu tiên chiến lược và dành nguồn lực lớn cho
lĩnh vực này.

## Tình hình trong nước
Sau gần 40 năm đổi mới, đất nước ta đã đạt được những thành tựu to lớn, có ý nghĩa lịch sử. Khoa học,
công nghệ, đổi mới sáng tạo và chuyển đổi số đã có bước phát triển, góp phần vào tăng trưởng kinh tế,
bảo đảm quốc phòng, an ninh và nâng cao đời sống nhân dân. Hạ tầng viễn thông và Internet phủ rộng khắp;
nhiều thủ tục hành chính được thực hiện trực tuyến; Cơ sở dữ liệu quốc gia về dân cư được xây dựng và
kết nối, chia sẻ với nhiều bộ, ngành, địa phương.

Tuy nhiên, quy mô và tiềm lực khoa học, công nghệ của nước ta còn khoảng cách so với các nước tiên tiến.
Thể chế, chính sách còn nhiều vướng mắc; đầu tư cho nghiên cứu và phát triển còn thấp; nhân lực chất
lượng cao còn thiếu; hạ tầng số và dữ liệu chưa đồng bộ; việc ứng dụng công nghệ trong quản lý nhà nước
và trong doanh nghiệp chưa đạt hiệu quả như mong muốn. Một nguyên nhân quan trọng là nhận thức về vị trí,
vai trò của lĩnh vực này ở một số cấp, ngành chưa đầy đủ.

## Sự ra đời của Nghị quyết
Ngày 22/12/2024, Bộ Chính trị ban hành **Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công
nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia**. Nghị quyết khẳng định phát triển khoa học, công nghệ,
đổi mới sáng tạo và chuyển đổi số là yêu cầu khách quan, là lựa chọn chiến lược để đưa đất nước phát triển
giàu mạnh trong kỷ nguyên mới - kỷ nguyên vươn mình của dân tộc.

## Yêu cầu đối với người học
- Nắm được bối cảnh, lý do ban hành và tinh thần cốt lõi của Nghị quyết.
- Liên hệ với tình hình thực tế của cơ quan, đơn vị, địa phương nơi mình công tác.
- Xác định việc làm cụ thể của bản thân để góp phần thực hiện Nghị quyết.
"""

NQ57_VIEWPOINTS = """
## Các quan điểm chỉ đạo
Nghị quyết số 57-NQ/TW nêu các quan điểm chỉ đạo làm định hướng cho toàn bộ quá trình tổ chức thực hiện.
Để dễ ghi nhớ, có thể tóm tắt nội dung cốt lõi của các quan điểm đó thành năm ý lớn sau đây.

### Đột phá quan trọng hàng đầu
Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia là **đột phá quan trọng hàng
đầu**, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất,
đổi mới phương thức quản trị quốc gia, phát triển kinh tế - xã hội, ngăn chặn nguy cơ tụt hậu.

### Sự lãnh đạo của Đảng và vai trò của các chủ thể
Tăng cường sự lãnh đạo toàn diện của Đảng, phát huy sức mạnh của cả hệ thống chính trị và toàn dân tộc.
Người dân và doanh nghiệp là trung tâm, là chủ thể; nhà khoa học là nhân tố then chốt; Nhà nước giữ vai
trò dẫn dắt, thúc đẩy, tạo điều kiện thuận lợi nhất cho phát triển.

### Thể chế là điều kiện tiên quyết
Thể chế là điều kiện tiên quyết, cần hoàn thiện và đi trước một bước. Nghị quyết yêu cầu đổi mới tư duy
xây dựng pháp luật, xóa bỏ tư tưởng "không quản được thì cấm", đồng thời chấp nhận rủi ro, chấp nhận đầu
tư mạo hiểm và độ trễ trong nghiên cứu khoa học, công nghệ.

### Nhân lực và hạ tầng
Nhân lực chất lượng cao, nhân tài là yếu tố quyết định; hạ tầng công nghệ và dữ liệu là nền tảng. Cần có
chính sách đặc biệt để thu hút, trọng dụng nhân tài trong và ngoài nước.

### Gắn với quốc phòng, an ninh và hội nhập
Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số gắn với bảo đảm quốc phòng, an ninh,
bảo vệ chủ quyền quốc gia trên không gian mạng, bảo đảm an ninh dữ liệu; chủ động hội nhập và tăng cường
hợp tác quốc tế.

## Ý nghĩa đối với cán bộ, công chức
Các quan điểm trên đòi hỏi mỗi cán bộ, công chức thay đổi cách nghĩ, cách làm: coi việc ứng dụng công
nghệ là nhiệm vụ chính trị chứ không phải việc riêng của bộ phận kỹ thuật; mạnh dạn đề xuất cách làm mới;
lấy sự hài lòng của người dân, doanh nghiệp làm thước đo hiệu quả công việc.
"""

NQ57_GOALS = """
## Mục tiêu đến năm 2030
Nghị quyết đặt ra các mục tiêu cụ thể đến năm 2030. Dưới đây là những chỉ tiêu chủ yếu mà cán bộ, công
chức cần nắm:
- Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo đạt mức tiên tiến ở nhiều lĩnh vực quan trọng,
  thuộc nhóm dẫn đầu các nước có thu nhập trung bình cao.
- Việt Nam thuộc nhóm 3 nước dẫn đầu Đông Nam Á và nhóm 50 nước đứng đầu thế giới về năng lực cạnh tranh
  số và chỉ số phát triển Chính phủ điện tử.
- Quy mô kinh tế số đạt tối thiểu **30% GDP**.
- Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt **trên 80%**.
- Chi cho nghiên cứu và phát triển đạt **2% GDP**, trong đó kinh phí từ xã hội chiếm hơn 60%; bố trí ít
  nhất 3% tổng chi ngân sách hằng năm cho phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
  số quốc gia.
- Có ít nhất 5 doanh nghiệp công nghệ số ngang tầm các nước tiên tiến.
- Đóng góp của năng suất các nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế trên 55%.
- Hạ tầng công nghệ số hiện đại, băng thông siêu rộng; phủ sóng mạng di động 5G toàn quốc.

## Tầm nhìn đến năm 2045
Đến năm 2045, khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số phát triển vững chắc, góp phần đưa
Việt Nam trở thành nước phát triển, thu nhập cao. Quy mô kinh tế số đạt tối thiểu 50% GDP; Việt Nam là một
trong các trung tâm công nghiệp công nghệ số của khu vực và thế giới, thuộc nhóm 30 nước dẫn đầu thế giới
về đổi mới sáng tạo và chuyển đổi số.

## Đọc các chỉ tiêu như thế nào
Nhiều chỉ tiêu là chỉ tiêu quốc gia, nhưng có những chỉ tiêu gắn trực tiếp với công việc hằng ngày ở cơ
sở. Chỉ tiêu "trên 80% người dân và doanh nghiệp sử dụng dịch vụ công trực tuyến" chỉ đạt được khi từng
xã, phường hướng dẫn người dân nộp hồ sơ trực tuyến và giải quyết hồ sơ đúng hạn. Chỉ tiêu về kinh tế số
gắn với việc hỗ trợ hộ sản xuất, hợp tác xã đưa sản phẩm lên sàn thương mại điện tử. Vì vậy, mỗi cơ quan,
địa phương cần cụ thể hóa mục tiêu của Nghị quyết thành chỉ tiêu của mình, có người chịu trách nhiệm và có
thời hạn hoàn thành.
"""

NQ57_TASKS = """
## Bảy nhóm nhiệm vụ, giải pháp
Để đạt các mục tiêu đề ra, Nghị quyết xác định bảy nhóm nhiệm vụ, giải pháp chủ yếu.

### 1. Nâng cao nhận thức, đổi mới tư duy
Tạo chuyển biến mạnh mẽ về nhận thức, quyết tâm chính trị và hành động của cấp ủy, chính quyền, người đứng
đầu; tạo xung lực mới, khí thế mới trong toàn xã hội. Người đứng đầu trực tiếp lãnh đạo, chỉ đạo và chịu
trách nhiệm về kết quả chuyển đổi số ở cơ quan, địa phương mình.

### 2. Hoàn thiện thể chế
Khẩn trương sửa đổi, bổ sung các quy định đang cản trở sự phát triển; có cơ chế thử nghiệm có kiểm soát
đối với công nghệ và mô hình kinh doanh mới; biến thể chế thành lợi thế cạnh tranh.

### 3. Đầu tư, hoàn thiện hạ tầng
Phát triển hạ tầng số, hạ tầng dữ liệu, các trung tâm dữ liệu và nền tảng số dùng chung; bảo đảm kết nối,
chia sẻ dữ liệu giữa các cơ quan.

### 4. Phát triển nhân lực chất lượng cao, nhân tài
Đổi mới đào tạo, bồi dưỡng; thu hút chuyên gia, nhà khoa học; phổ cập kỹ năng số cho cán bộ và người dân.

### 5. Chuyển đổi số trong hệ thống chính trị
Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan Đảng, Nhà nước, Mặt trận Tổ quốc và các đoàn thể;
nâng cao hiệu quả quản trị quốc gia, hiệu lực quản lý nhà nước; bảo đảm quốc phòng, an ninh.

### 6. Thúc đẩy đổi mới sáng tạo trong doanh nghiệp
Khuyến khích doanh nghiệp đầu tư nghiên cứu, làm chủ công nghệ; hỗ trợ doanh nghiệp khởi nghiệp sáng tạo,
doanh nghiệp nhỏ và vừa chuyển đổi số.

### 7. Tăng cường hợp tác quốc tế
Chủ động hợp tác, tiếp thu tri thức và công nghệ tiên tiến; thu hút đầu tư vào các lĩnh vực công nghệ cao.

## Tổ chức thực hiện
Nghị quyết yêu cầu thành lập Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và
chuyển đổi số do Tổng Bí thư làm Trưởng ban. Các cấp ủy, tổ chức đảng tổ chức học tập, quán triệt và xây
dựng chương trình, kế hoạch hành động, xác định rõ nhiệm vụ, lộ trình và trách nhiệm của từng cơ quan, đơn
vị, cá nhân.
"""

NQ57_COMMUNE = """
## Vì sao cấp xã giữ vai trò quan trọng
Cấp xã là nơi gần dân nhất, nơi phần lớn thủ tục hành chính được tiếp nhận và giải quyết, nơi các chủ
trương về chuyển đổi số được đưa vào cuộc sống. Với mô hình chính quyền địa phương hai cấp, xã, phường
đảm nhận nhiều nhiệm vụ hơn trước, vì vậy việc vận dụng Nghị quyết số 57-NQ/TW ở cơ sở càng có ý nghĩa
thiết thực.

## Những việc đảng ủy, chính quyền xã cần làm
- **Học tập, quán triệt**: tổ chức cho cán bộ, đảng viên học tập Nghị quyết; đưa nội dung chuyển đổi số
  vào sinh hoạt chi bộ định kỳ.
- **Ban hành kế hoạch**: cụ thể hóa mục tiêu của Nghị quyết thành chỉ tiêu của xã (tỷ lệ hồ sơ trực tuyến,
  tỷ lệ người dân có tài khoản định danh điện tử, số hộ kinh doanh bán hàng trên sàn thương mại điện tử),
  giao rõ người, rõ việc, rõ thời hạn.
- **Chuyển đổi số trong cơ quan**: xử lý văn bản, hồ sơ công việc trên môi trường mạng; ký số; số hóa hồ
  sơ, kết quả giải quyết thủ tục hành chính.
- **Phục vụ người dân**: hướng dẫn người dân sử dụng dịch vụ công trực tuyến; phát huy vai trò của tổ công
  nghệ số cộng đồng ở thôn, tổ dân phố.
- **Phổ cập kỹ năng số**: hưởng ứng phong trào "Bình dân học vụ số", ưu tiên người cao tuổi, đồng bào dân
  tộc thiểu số, người ở vùng khó khăn.
- **Bảo đảm an toàn thông tin**: quản lý chặt tài khoản, mật khẩu, dữ liệu cá nhân của người dân.

## Một ví dụ
Một xã miền núi đặt mục tiêu trong một năm nâng tỷ lệ hồ sơ nộp trực tuyến từ 30% lên 60%. Đảng ủy xã
ra nghị quyết chuyên đề; Ủy ban nhân dân xã phân công mỗi công chức phụ trách một thôn; Đoàn Thanh niên
lập các nhóm tình nguyện hướng dẫn người dân tại nhà văn hóa vào ngày nghỉ; kết quả được đánh giá hằng
tháng tại giao ban. Cách làm đơn giản, có người chịu trách nhiệm và được kiểm tra thường xuyên là chìa
khóa để nghị quyết đi vào cuộc sống.

## Câu hỏi tự kiểm tra
- Cơ quan, địa phương của đồng chí đã có kế hoạch thực hiện Nghị quyết chưa? Chỉ tiêu nào gắn với công
  việc của đồng chí?
- Đồng chí có thể làm gì ngay trong tháng tới để góp phần thực hiện Nghị quyết?
"""

NQ57_SUMMARY = DocumentText(
    title="Tài liệu tóm tắt Nghị quyết 57-NQ/TW",
    subtitle="Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
             "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    issuer="Trường Chính trị tỉnh - Khoa Xây dựng Đảng",
    file_name="Tài liệu tóm tắt Nghị quyết 57-NQ-TW.pdf",
    text="""
## Lời giới thiệu
Tài liệu này tóm tắt những nội dung cơ bản của Nghị quyết số 57-NQ/TW để phục vụ học tập, quán triệt trong
cán bộ, đảng viên. Tài liệu không thay thế văn bản Nghị quyết; khi trích dẫn hoặc triển khai thực hiện,
người học cần đối chiếu với toàn văn Nghị quyết và các văn bản hướng dẫn của cấp có thẩm quyền.

## I. Tình hình và nguyên nhân
Thời gian qua, khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số ở nước ta đã đạt được những kết quả
quan trọng: hạ tầng viễn thông và Internet phát triển rộng khắp; Chính phủ điện tử được đẩy mạnh; nhiều cơ
sở dữ liệu quốc gia được hình thành; kinh tế số tăng trưởng nhanh; một số doanh nghiệp công nghệ trong nước
đã vươn ra thị trường quốc tế.

Bên cạnh đó còn nhiều hạn chế: quy mô, tiềm lực và trình độ khoa học, công nghệ còn khoảng cách so với
các nước tiên tiến; thể chế, chính sách chậm được hoàn thiện; đầu tư cho nghiên cứu và phát triển còn thấp;
nhân lực chất lượng cao còn thiếu; dữ liệu chưa được kết nối, chia sẻ đầy đủ; an toàn, an ninh mạng còn
tiềm ẩn nhiều nguy cơ. Một nguyên nhân quan trọng là nhận thức về vị trí, vai trò của khoa học, công nghệ,
đổi mới sáng tạo và chuyển đổi số ở một số cấp, ngành chưa đầy đủ, chưa trở thành quyết tâm chính trị
mạnh mẽ.

## II. Quan điểm chỉ đạo
- **Đột phá quan trọng hàng đầu**: phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc
  gia là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại, hoàn thiện quan hệ sản xuất, đổi
  mới phương thức quản trị quốc gia, ngăn chặn nguy cơ tụt hậu.
- **Sự lãnh đạo của Đảng, sức mạnh của toàn dân tộc**: người dân và doanh nghiệp là trung tâm, là chủ thể;
  nhà khoa học là nhân tố then chốt; Nhà nước giữ vai trò dẫn dắt, thúc đẩy, tạo điều kiện thuận lợi.
- **Thể chế là điều kiện tiên quyết**: hoàn thiện thể chế đi trước một bước; chấp nhận rủi ro, đầu tư mạo
  hiểm và độ trễ trong nghiên cứu khoa học, công nghệ.
- **Nhân lực và hạ tầng**: nhân lực chất lượng cao, nhân tài là yếu tố quyết định; hạ tầng công nghệ và dữ
  liệu là nền tảng.
- **Gắn với quốc phòng, an ninh và hội nhập**: bảo vệ chủ quyền quốc gia trên không gian mạng, bảo đảm an
  ninh dữ liệu; chủ động hợp tác quốc tế.

## III. Mục tiêu
### Một số chỉ tiêu chủ yếu đến năm 2030
| Lĩnh vực | Chỉ tiêu đến năm 2030 |
| Vị trí quốc tế | Nhóm 3 nước dẫn đầu Đông Nam Á, nhóm 50 nước dẫn đầu thế giới về cạnh tranh số, Chính phủ điện tử |
| Kinh tế số | Quy mô tối thiểu 30% GDP |
| Dịch vụ công trực tuyến | Tỷ lệ người dân và doanh nghiệp sử dụng đạt trên 80% |
| Nghiên cứu và phát triển | Chi đạt 2% GDP, trong đó kinh phí từ xã hội chiếm hơn 60% |
| Ngân sách nhà nước | Bố trí ít nhất 3% tổng chi ngân sách hằng năm và tăng dần theo yêu cầu |
| Doanh nghiệp công nghệ số | Ít nhất 5 doanh nghiệp ngang tầm các nước tiên tiến |
| Năng suất | Đóng góp của năng suất các nhân tố tổng hợp (TFP) vào tăng trưởng trên 55% |
| Hạ tầng số | Hiện đại, băng thông siêu rộng; phủ sóng 5G toàn quốc |

### Tầm nhìn đến năm 2045
Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số phát triển vững chắc, góp phần đưa Việt Nam trở
thành nước phát triển, thu nhập cao; quy mô kinh tế số đạt tối thiểu 50% GDP; Việt Nam thuộc nhóm 30 nước
dẫn đầu thế giới về đổi mới sáng tạo và chuyển đổi số.

## IV. Nhiệm vụ, giải pháp
- **Nâng cao nhận thức, đổi mới tư duy**, xác định quyết tâm chính trị mạnh mẽ; người đứng đầu trực tiếp
  lãnh đạo, chỉ đạo và chịu trách nhiệm.
- **Khẩn trương hoàn thiện thể chế**; xóa bỏ tư tưởng, quan niệm, rào cản đang cản trở sự phát triển; biến
  thể chế thành lợi thế cạnh tranh.
- **Tăng cường đầu tư, hoàn thiện hạ tầng** cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số, đặc
  biệt là hạ tầng số và hạ tầng dữ liệu.
- **Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài**; phổ cập kỹ năng số cho người dân.
- **Đẩy mạnh chuyển đổi số trong hoạt động của các cơ quan trong hệ thống chính trị**; nâng cao hiệu quả
  quản trị quốc gia, hiệu lực quản lý nhà nước; bảo đảm quốc phòng, an ninh.
- **Thúc đẩy mạnh mẽ hoạt động khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong doanh nghiệp.**
- **Tăng cường hợp tác quốc tế** về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.

## V. Tổ chức thực hiện
Thành lập Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số do
Tổng Bí thư làm Trưởng ban. Các cấp ủy, tổ chức đảng tổ chức học tập, quán triệt, xây dựng chương trình
hành động thực hiện Nghị quyết, xác định rõ lộ trình, nguồn lực và trách nhiệm. Mặt trận Tổ quốc và các
tổ chức chính trị - xã hội tuyên truyền, vận động nhân dân tham gia; các cơ quan báo chí mở chuyên trang,
chuyên mục phổ biến các mô hình, cách làm hay.

## VI. Gợi ý vận dụng ở cấp xã
- Đưa việc học tập Nghị quyết vào sinh hoạt chi bộ; mỗi đảng viên đăng ký ít nhất một việc làm cụ thể về
  chuyển đổi số.
- Xây dựng kế hoạch của xã với chỉ tiêu đo được: tỷ lệ hồ sơ trực tuyến, tỷ lệ hồ sơ giải quyết đúng hạn,
  tỷ lệ người dân có tài khoản định danh điện tử, số hộ kinh doanh bán hàng trực tuyến.
- Phát huy tổ công nghệ số cộng đồng và lực lượng đoàn viên thanh niên trong hướng dẫn người dân.
- Định kỳ hằng tháng đánh giá kết quả tại giao ban; biểu dương cá nhân, tập thể làm tốt.

## Câu hỏi thảo luận
- Vì sao Nghị quyết xác định thể chế là điều kiện tiên quyết?
- Chỉ tiêu nào của Nghị quyết gắn trực tiếp với công việc của cơ quan, đơn vị đồng chí?
- Người đứng đầu cấp xã cần làm gì để chuyển đổi số không dừng ở phong trào?
""",
)

# =====================================================================================================
# 2. Trí tuệ nhân tạo trong công tác của cán bộ, công chức
# =====================================================================================================

AI_WHAT = """
## Trí tuệ nhân tạo là gì
Trí tuệ nhân tạo (AI) là lĩnh vực công nghệ giúp máy tính thực hiện những việc trước đây cần đến trí tuệ
con người: nhận dạng chữ viết và giọng nói, dịch ngôn ngữ, phân loại văn bản, trả lời câu hỏi, tóm tắt tài
liệu. Phần lớn các hệ thống AI hiện nay được "học" từ một khối lượng dữ liệu rất lớn để tìm ra quy luật,
rồi dùng quy luật đó xử lý dữ liệu mới.

## Mô hình ngôn ngữ lớn và các trợ lý AI
Các trợ lý trò chuyện phổ biến hiện nay dựa trên **mô hình ngôn ngữ lớn**. Mô hình được huấn luyện trên
rất nhiều văn bản để dự đoán từ ngữ tiếp theo phù hợp nhất với câu hỏi. Nhờ đó, nó có thể viết một đoạn
văn trôi chảy, tóm tắt một báo cáo dài hay gợi ý dàn ý cho một bài phát biểu. Điều cần nhớ: mô hình
**không "biết" sự thật** như con người; nó tạo ra câu chữ có vẻ hợp lý, và đôi khi câu chữ đó sai.

## AI có thể hỗ trợ những việc gì
- Gợi ý dàn ý, bản nháp cho giấy mời, thông báo, báo cáo định kỳ.
- Tóm tắt văn bản dài, rút ra các ý chính để chuẩn bị cuộc họp.
- Chuyển giọng nói thành văn bản khi ghi biên bản (với nội dung được phép).
- Kiểm tra chính tả, diễn đạt; chuyển văn bản sang ngôn ngữ dễ hiểu hơn cho người dân.
- Hỗ trợ tra cứu ban đầu, lập bảng so sánh, soạn câu hỏi ôn tập.

## AI không thay thế được điều gì
AI không thay thế trách nhiệm, thẩm quyền và sự hiểu biết thực tế của người cán bộ. Việc quyết định,
ký ban hành văn bản, giải quyết hồ sơ của người dân phải do người có thẩm quyền thực hiện theo đúng quy
định. AI chỉ là công cụ hỗ trợ; người dùng chịu trách nhiệm về sản phẩm cuối cùng.

## Một số thuật ngữ
- **Câu lệnh (prompt)**: nội dung người dùng nhập để yêu cầu AI làm một việc.
- **Ảo giác (hallucination)**: hiện tượng AI đưa ra thông tin sai nhưng trình bày như thật, ví dụ bịa số
  hiệu văn bản hoặc trích dẫn không tồn tại.
- **Dữ liệu huấn luyện**: dữ liệu dùng để xây dựng mô hình; nó có thể đã cũ hoặc thiếu thông tin về địa
  phương.
"""

AI_SAFE = """
## Nguyên tắc chung
Khi dùng công cụ AI, cán bộ, công chức phải tuân thủ pháp luật về bảo vệ bí mật nhà nước, an ninh mạng,
bảo vệ dữ liệu cá nhân và các quy chế của cơ quan. Nguyên tắc cơ bản: **mọi thông tin nhập vào một dịch vụ
AI trên Internet có thể được lưu lại và xử lý bên ngoài cơ quan**.

## Không đưa thông tin mật vào công cụ AI
- Tuyệt đối không nhập nội dung thuộc **bí mật nhà nước** (theo Luật Bảo vệ bí mật nhà nước năm 2018) vào
  bất kỳ công cụ AI nào kết nối Internet.
- Không đưa lên công cụ AI công cộng tài liệu chưa được phép công bố, tài liệu nội bộ, dự thảo đang xin ý
  kiến nếu quy chế của cơ quan không cho phép.
- Khi còn băn khoăn về mức độ mật của tài liệu, hãy hỏi người có thẩm quyền trước khi sử dụng.

## Bảo vệ dữ liệu cá nhân của người dân
Hồ sơ của người dân chứa họ tên, số định danh cá nhân, địa chỉ, tình trạng sức khỏe, hoàn cảnh gia đình.
Không sao chép các thông tin này vào công cụ AI. Nếu cần AI hỗ trợ soạn một mẫu văn bản, hãy thay thông
tin thật bằng thông tin giả định như "ông Nguyễn Văn A, thôn X".

## Kiểm chứng kết quả
- Đối chiếu mọi số hiệu, ngày tháng, trích dẫn văn bản với nguồn chính thống (Cơ sở dữ liệu quốc gia về
  văn bản pháp luật, Công báo, cổng thông tin điện tử của cơ quan nhà nước).
- Kiểm tra số liệu với báo cáo, sổ sách của cơ quan; không dùng số liệu do AI "ước tính".
- Đọc lại toàn bộ văn bản: thể thức, kỹ thuật trình bày phải theo quy định về công tác văn thư.
- Xem xét sự phù hợp với chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước và thực tế
  địa phương.

## An toàn tài khoản
Dùng mật khẩu mạnh, không dùng chung mật khẩu công vụ cho các dịch vụ AI; chỉ cài đặt ứng dụng từ nguồn
tin cậy; cảnh giác với trang giả mạo, tiện ích mở rộng lạ xin quyền đọc dữ liệu trình duyệt.

## Tình huống
Một công chức dán toàn bộ danh sách hộ nghèo của xã, kèm số định danh cá nhân, vào một trang AI miễn phí
để nhờ sắp xếp lại. Việc làm này có thể làm lộ dữ liệu cá nhân của hàng trăm người. Cách làm đúng là dùng
phần mềm bảng tính của cơ quan để sắp xếp, hoặc chỉ hỏi AI cách thực hiện mà không gửi dữ liệu thật.
"""

AI_PROMPTS = """
## Câu lệnh tốt quyết định chất lượng bản nháp
Công cụ AI trả lời theo những gì ta yêu cầu. Câu lệnh càng rõ thì bản nháp càng sát nhu cầu và càng ít
phải sửa. Một câu lệnh tốt thường có năm thành phần:
- **Vai trò**: "Anh/chị là chuyên viên văn phòng Ủy ban nhân dân xã."
- **Nhiệm vụ**: "Soạn dự thảo thông báo lịch tiếp công dân tháng tới."
- **Bối cảnh**: đối tượng đọc, mục đích, những thông tin đã có (đã bỏ mọi dữ liệu cá nhân, thông tin mật).
- **Yêu cầu về hình thức**: độ dài, giọng văn hành chính, bố cục các mục.
- **Ràng buộc**: "Không tự đặt số hiệu văn bản; đánh dấu [cần bổ sung] ở chỗ còn thiếu thông tin."

## Ví dụ
Câu lệnh chưa tốt: "Viết thông báo họp."

Câu lệnh tốt hơn: "Anh/chị là chuyên viên Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã. Hãy soạn dự
thảo giấy mời họp giao ban tháng về tiến độ thu gom rác thải ở các thôn. Thành phần: trưởng thôn và công
chức phụ trách môi trường. Thời gian và địa điểm để trống, đánh dấu [cần bổ sung]. Văn phong hành chính,
ngắn gọn, không quá 200 chữ."

## Làm việc theo nhiều bước
- Yêu cầu AI đề xuất **dàn ý** trước, chỉnh dàn ý cho phù hợp rồi mới yêu cầu viết chi tiết.
- Yêu cầu viết lại một đoạn cụ thể: "viết ngắn lại", "dùng từ ngữ dễ hiểu cho bà con", "bỏ các câu khẩu
  hiệu chung chung".
- Yêu cầu AI tự liệt kê những điểm cần kiểm tra lại trong bản nháp.

## Sau khi có bản nháp
Bản nháp của AI mới chỉ là nguyên liệu. Người soạn thảo phải đưa về đúng thể thức văn bản hành chính theo
quy định về công tác văn thư, kiểm tra căn cứ pháp lý, số liệu, tên cơ quan, chức danh, rồi trình lãnh
đạo theo quy trình bình thường. Việc sử dụng AI không làm giảm trách nhiệm của người soạn thảo và của người
ký ban hành văn bản.

## Bài tập thực hành
Hãy viết một câu lệnh để AI gợi ý dàn ý báo cáo sơ kết sáu tháng về cải cách hành chính của xã. Kiểm tra
câu lệnh của mình có đủ năm thành phần nêu trên và không chứa thông tin mật, dữ liệu cá nhân hay không.
"""

AI_LIMITS = """
## Những giới hạn cần biết
- **Có thể sai nhưng rất tự tin**: AI có thể bịa số hiệu văn bản, điều khoản, số liệu; câu chữ càng trôi
  chảy càng dễ làm người đọc tin.
- **Kiến thức có thể đã cũ**: dữ liệu huấn luyện dừng ở một thời điểm; văn bản mới ban hành, bị sửa đổi
  hoặc hết hiệu lực có thể chưa được cập nhật.
- **Thiếu hiểu biết địa phương**: AI không biết phong tục, đặc điểm dân cư, tình hình cụ thể của từng thôn,
  bản.
- **Có thể thiên lệch**: dữ liệu huấn luyện phần lớn là tiếng nước ngoài, nên cách diễn đạt và ví dụ đôi khi
  không phù hợp với thực tiễn Việt Nam.
- **Không thay thế thẩm quyền**: AI không có tư cách pháp lý, không chịu trách nhiệm thay người dùng.

## Trách nhiệm của người sử dụng
Cán bộ, công chức dùng AI vẫn chịu trách nhiệm đầy đủ về nội dung văn bản, ý kiến tham mưu và quyết định
của mình. Nói cách khác, **AI hỗ trợ, con người quyết định**. Khi dùng AI trong công việc, cần:
- Tuân thủ quy chế của cơ quan về sử dụng công cụ số, chỉ dùng công cụ được phép.
- Kiểm chứng thông tin trước khi sử dụng; ghi lại nguồn đã đối chiếu.
- Báo cáo với người phụ trách khi phát hiện sự cố, ví dụ lỡ đưa thông tin không được phép lên công cụ AI.
- Trao đổi, chia sẻ cách dùng hiệu quả và an toàn với đồng nghiệp.

## Dùng AI một cách có văn hóa
Khi trả lời người dân qua mạng, cán bộ cần giữ thái độ tôn trọng, lời lẽ chuẩn mực; không dùng câu trả lời
tự động thay cho việc lắng nghe và giải quyết đúng yêu cầu chính đáng của người dân. Với những vấn đề nhạy
cảm, phức tạp, cần trực tiếp gặp gỡ, trao đổi.

## Tự đánh giá
Trước khi dùng một kết quả do AI tạo ra, hãy tự hỏi: Tôi đã kiểm tra nguồn chưa? Có thông tin nào không
được phép đưa ra ngoài không? Văn bản đã đúng thể thức chưa? Tôi có sẵn sàng chịu trách nhiệm về nội dung
này không? Nếu câu trả lời cho một trong các câu hỏi đó là "chưa", hãy dừng lại và hoàn thiện thêm.
"""

AI_PORTAL_NOTE = """
Cổng Thông tin điện tử Chính phủ đăng tải văn bản chỉ đạo, điều hành và thông tin chính thống về hoạt động
của Chính phủ. Hãy mở trang, tìm các tin bài về trí tuệ nhân tạo và chuyển đổi số, và tập thói quen đối
chiếu thông tin do công cụ AI đưa ra với nguồn chính thống.
"""

# =====================================================================================================
# 3. Chuyển đổi số cấp xã
# =====================================================================================================

CDS_BASICS = """
## Chuyển đổi số là gì
Chuyển đổi số là quá trình thay đổi tổng thể và toàn diện cách sống, cách làm việc và phương thức sản xuất
dựa trên công nghệ số. Với chính quyền cấp xã, chuyển đổi số không chỉ là mua máy tính hay lập trang thông
tin điện tử, mà là **thay đổi cách phục vụ người dân**: hồ sơ được tiếp nhận và trả kết quả trên môi
trường điện tử, dữ liệu được dùng chung để người dân không phải khai báo nhiều lần, việc điều hành dựa
trên số liệu cập nhật.

## Ba trụ cột
- **Chính quyền số**: văn bản điện tử, chữ ký số, hồ sơ công việc trên mạng, dịch vụ công trực tuyến, họp
  trực tuyến.
- **Kinh tế số**: hộ sản xuất, hợp tác xã bán hàng trên sàn thương mại điện tử, thanh toán không dùng tiền
  mặt, truy xuất nguồn gốc nông sản.
- **Xã hội số**: người dân có kỹ năng số, có tài khoản định danh điện tử, sử dụng các tiện ích số trong học
  tập, y tế, an sinh xã hội.

## Yêu cầu đối với chính quyền cấp xã
Trong mô hình chính quyền địa phương hai cấp, xã, phường trực tiếp giải quyết phần lớn thủ tục hành chính
cho người dân. Điều đó đòi hỏi mỗi công chức sử dụng thành thạo hệ thống thông tin giải quyết thủ tục hành
chính của tỉnh, phần mềm quản lý văn bản, chữ ký số; Bộ phận Một cửa vận hành theo quy trình điện tử; lãnh
đạo xã theo dõi được tiến độ giải quyết hồ sơ hằng ngày.

## Vai trò của người đứng đầu
Kinh nghiệm cho thấy nơi nào người đứng đầu trực tiếp chỉ đạo, thường xuyên kiểm tra thì chuyển đổi số
chuyển biến rõ rệt. Chủ tịch Ủy ban nhân dân xã cần giao chỉ tiêu cụ thể cho từng bộ phận, định kỳ đánh
giá tại giao ban và gương mẫu xử lý văn bản trên môi trường mạng.

## Những khó khăn thường gặp
Hạ tầng mạng ở thôn, bản vùng sâu còn yếu; một bộ phận người dân, nhất là người cao tuổi, chưa có điện
thoại thông minh; công chức kiêm nhiệm nhiều việc. Khóa học này giới thiệu những cách làm thiết thực để
vượt qua các khó khăn đó.
"""

CDS_ONLINE = """
## Dịch vụ công trực tuyến
Dịch vụ công trực tuyến là dịch vụ hành chính công được cung cấp cho người dân, doanh nghiệp trên môi
trường mạng. Theo quy định hiện hành có hai mức:
- **Dịch vụ công trực tuyến toàn trình**: việc nộp hồ sơ, thanh toán phí, lệ phí (nếu có) và giải quyết thủ
  tục đều được thực hiện trên môi trường mạng; kết quả được trả trực tuyến hoặc qua dịch vụ bưu chính.
- **Dịch vụ công trực tuyến một phần**: một số bước vẫn phải thực hiện trực tiếp, ví dụ xuất trình bản gốc
  giấy tờ hoặc nhận kết quả tại Bộ phận Một cửa.

Người dân có thể nộp hồ sơ qua Cổng Dịch vụ công quốc gia hoặc hệ thống thông tin giải quyết thủ tục hành
chính của tỉnh, đăng nhập bằng tài khoản định danh điện tử.

## Quy trình tiếp nhận, giải quyết hồ sơ trực tuyến
- Kiểm tra tính đầy đủ, hợp lệ của hồ sơ ngay khi nhận; nếu thiếu, hướng dẫn bổ sung **một lần, đầy đủ**.
- Chuyển hồ sơ đến công chức chuyên môn trên hệ thống, không in ra giấy để chuyển tay.
- Theo dõi thời hạn; hồ sơ có nguy cơ quá hạn phải báo cáo lãnh đạo và thông báo, xin lỗi người dân theo
  quy định.
- Trả kết quả điện tử; cập nhật trạng thái để người dân tra cứu được.

## Hướng dẫn người dân
Nhiều người dân chưa quen với dịch vụ công trực tuyến. Công chức Bộ phận Một cửa và tổ công nghệ số cộng
đồng nên:
- Bố trí máy tính, điện thoại có kết nối mạng tại Bộ phận Một cửa để hướng dẫn người dân tự thực hiện.
- Chọn trước một số thủ tục thường gặp (đăng ký khai sinh, chứng thực, đăng ký thường trú) để hướng dẫn
  mẫu.
- In tờ hướng dẫn ngắn có hình minh họa, dán ở nhà văn hóa thôn.
- Giải thích lợi ích: không phải đi lại nhiều lần, theo dõi được hồ sơ, được nhắc khi cần bổ sung.

## Chỉ tiêu và đánh giá
Tỷ lệ hồ sơ nộp trực tuyến, tỷ lệ hồ sơ giải quyết đúng hạn và mức độ hài lòng của người dân là những chỉ
số phản ánh chất lượng phục vụ của chính quyền cơ sở. Các chỉ số này được công khai, theo dõi thường xuyên
và là căn cứ đánh giá kết quả công tác của tập thể, cá nhân.
"""

CDS_DATA = """
## Cơ sở dữ liệu quốc gia về dân cư
Cơ sở dữ liệu quốc gia về dân cư lưu trữ thông tin cơ bản của công dân, mỗi người có một **số định danh cá
nhân** duy nhất. Khi dữ liệu dân cư được kết nối với các hệ thống giải quyết thủ tục hành chính, người dân
không phải nộp lại những giấy tờ mà cơ quan nhà nước đã có, như bản sao giấy khai sinh, giấy xác nhận cư
trú.

## Đề án 06
Ngày 06/01/2022, Thủ tướng Chính phủ ban hành Quyết định số 06/QĐ-TTg phê duyệt Đề án phát triển ứng dụng
dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 - 2025, tầm
nhìn đến năm 2030 (gọi tắt là Đề án 06). Đề án phục vụ năm nhóm tiện ích: giải quyết thủ tục hành chính và
dịch vụ công trực tuyến; phát triển kinh tế - xã hội; xây dựng công dân số; hoàn thiện hệ sinh thái phục vụ
kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư; phục vụ chỉ đạo, điều hành của lãnh đạo các cấp.

## Định danh điện tử
Tài khoản định danh điện tử được dùng để đăng nhập dịch vụ công trực tuyến và nhiều tiện ích khác qua ứng
dụng VNeID. Cấp xã phối hợp với công an xã tuyên truyền, hướng dẫn người dân kích hoạt và sử dụng tài
khoản, nhất là ở các thôn, bản xa trung tâm.

## Làm sạch dữ liệu
Dữ liệu chỉ có giá trị khi **đúng, đủ, sạch, sống**:
- **Đúng**: thông tin khớp với giấy tờ gốc và thực tế.
- **Đủ**: không bỏ sót trường thông tin bắt buộc.
- **Sạch**: không trùng lặp, không sai chính tả tên, địa chỉ.
- **Sống**: được cập nhật ngay khi có thay đổi (sinh, tử, chuyển đi, chuyển đến).

Công chức tư pháp - hộ tịch, công an xã và trưởng thôn cần phối hợp chặt chẽ: mỗi sự kiện hộ tịch phát sinh
phải được cập nhật kịp thời vào các hệ thống liên quan.

## Trách nhiệm bảo vệ dữ liệu
Cán bộ được giao khai thác dữ liệu dân cư chỉ sử dụng dữ liệu đúng mục đích, trong phạm vi được phân quyền;
không cung cấp, chụp màn hình, chia sẻ thông tin cá nhân của người dân qua mạng xã hội hay các ứng dụng
nhắn tin. Vi phạm quy định về bảo vệ dữ liệu cá nhân có thể bị xử lý kỷ luật, xử phạt hành chính hoặc truy
cứu trách nhiệm theo quy định của pháp luật.
"""

CDS_DIGITISE = """
## Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính
Số hóa là chuyển giấy tờ, tài liệu sang dạng điện tử có giá trị sử dụng. Hồ sơ và kết quả giải quyết thủ
tục hành chính sau khi số hóa được lưu vào kho quản lý dữ liệu điện tử của người dân, để lần sau người dân
không phải nộp lại.

## Các bước số hóa tại Bộ phận Một cửa
- Tiếp nhận giấy tờ, kiểm tra bản chính.
- Quét (scan) với chất lượng đủ rõ để đọc được toàn bộ nội dung, đúng chiều, đủ trang.
- Ký số xác nhận bản điện tử theo quy định.
- Đặt tên, gắn thông tin mô tả và lưu vào hệ thống; trả lại bản giấy cho người dân.

## Tổ công nghệ số cộng đồng
Tổ công nghệ số cộng đồng được thành lập ở thôn, tổ dân phố, gồm trưởng thôn, công an viên, đoàn viên
thanh niên và những người am hiểu công nghệ. Tổ có nhiệm vụ đến từng hộ gia đình hướng dẫn cài đặt, sử
dụng các ứng dụng thiết yếu, dịch vụ công trực tuyến, thanh toán điện tử, và tuyên truyền phòng, chống lừa
đảo trên mạng. Xã cần định kỳ tập huấn cho thành viên tổ và ghi nhận kết quả hoạt động.

## An toàn thông tin ở cơ quan cấp xã
- Mỗi người dùng một tài khoản riêng; không dùng chung tài khoản, không để lộ mật khẩu và thiết bị ký số.
- Cập nhật hệ điều hành, phần mềm diệt virus; không cắm thiết bị lưu trữ không rõ nguồn gốc vào máy công vụ.
- Cảnh giác với thư điện tử, tin nhắn giả mạo cơ quan cấp trên yêu cầu cung cấp mật khẩu hoặc cài phần mềm.
- Sao lưu dữ liệu quan trọng; khi có sự cố, báo ngay cho bộ phận phụ trách công nghệ thông tin.

## Kết luận
Chuyển đổi số ở cấp xã thành công khi người dân thấy thuận tiện hơn, nhanh hơn và được phục vụ tốt hơn. Mỗi
công chức vừa là người trực tiếp vận hành các hệ thống, vừa là người hướng dẫn, đồng hành với người dân
trong quá trình đó.
"""

# =====================================================================================================
# 4. Bồi dưỡng lý luận chính trị dành cho đảng viên mới
# =====================================================================================================

DVM_FOUNDING = """
## Bối cảnh ra đời của Đảng
Cuối thế kỷ XIX, đầu thế kỷ XX, nước ta bị thực dân Pháp xâm lược và đô hộ. Nhiều phong trào yêu nước theo
khuynh hướng phong kiến và dân chủ tư sản nổ ra mạnh mẽ, thể hiện tinh thần bất khuất của dân tộc, nhưng
đều không thành công. Cách mạng Việt Nam lâm vào cuộc khủng hoảng về đường lối cứu nước.

Năm 1911, người thanh niên Nguyễn Tất Thành ra đi tìm đường cứu nước. Qua quá trình hoạt động, Nguyễn Ái
Quốc đã tìm thấy con đường cứu nước đúng đắn - con đường cách mạng vô sản, và tích cực chuẩn bị về chính
trị, tư tưởng và tổ chức cho việc thành lập một chính đảng cách mạng ở Việt Nam. Năm 1925, Người thành lập
Hội Việt Nam Cách mạng Thanh niên, đào tạo cán bộ và truyền bá chủ nghĩa Mác - Lênin vào trong nước.

## Hội nghị thành lập Đảng
Năm 1929, ở trong nước xuất hiện ba tổ chức cộng sản. Từ ngày 6/1 đến ngày 7/2/1930, Hội nghị hợp nhất các
tổ chức cộng sản họp tại Hương Cảng (Trung Quốc) dưới sự chủ trì của lãnh tụ Nguyễn Ái Quốc, thống nhất
thành lập **Đảng Cộng sản Việt Nam**. Hội nghị thông qua Chánh cương vắn tắt, Sách lược vắn tắt - Cương lĩnh
chính trị đầu tiên của Đảng. Ngày 3/2 hằng năm được lấy làm ngày kỷ niệm thành lập Đảng.

Tháng 10/1930, Hội nghị Ban Chấp hành Trung ương lần thứ nhất đổi tên Đảng thành Đảng Cộng sản Đông Dương
và thông qua Luận cương chính trị do đồng chí Trần Phú khởi thảo; đồng chí Trần Phú được bầu làm Tổng Bí
thư.

## Ý nghĩa lịch sử
- Chấm dứt cuộc khủng hoảng về đường lối cứu nước kéo dài nhiều năm.
- Là kết quả của sự kết hợp chủ nghĩa Mác - Lênin với phong trào công nhân và phong trào yêu nước Việt Nam.
- Khẳng định giai cấp công nhân Việt Nam đã trưởng thành, đủ sức lãnh đạo cách mạng.
- Là bước ngoặt vĩ đại, quyết định sự phát triển của cách mạng Việt Nam.

## Câu hỏi ôn tập
- Vì sao các phong trào yêu nước đầu thế kỷ XX không thành công?
- Nêu ý nghĩa lịch sử của sự kiện thành lập Đảng Cộng sản Việt Nam.
"""

DVM_HISTORY = """
## Những thắng lợi to lớn
Từ khi ra đời, Đảng đã lãnh đạo nhân dân ta giành được những thắng lợi có ý nghĩa lịch sử:
- **Cách mạng Tháng Tám năm 1945** thành công; ngày 2/9/1945, Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập,
  khai sinh nước Việt Nam Dân chủ Cộng hòa.
- **Kháng chiến chống thực dân Pháp** thắng lợi, đỉnh cao là chiến thắng Điện Biên Phủ ngày 7/5/1954,
  buộc đối phương ký Hiệp định Giơnevơ, miền Bắc hoàn toàn được giải phóng.
- **Kháng chiến chống Mỹ, cứu nước** thắng lợi với Chiến dịch Hồ Chí Minh lịch sử, giải phóng hoàn toàn miền
  Nam ngày 30/4/1975, thống nhất đất nước, cả nước đi lên chủ nghĩa xã hội.

## Những lần đổi tên và các đại hội quan trọng
Tháng 2/1951, Đại hội đại biểu toàn quốc lần thứ II quyết định đưa Đảng ra hoạt động công khai với tên gọi
Đảng Lao động Việt Nam. Tháng 12/1976, Đại hội lần thứ IV đổi tên thành Đảng Cộng sản Việt Nam.

## Công cuộc đổi mới
Tháng 12/1986, Đại hội đại biểu toàn quốc lần thứ VI đề ra **đường lối đổi mới toàn diện**, trước hết là đổi
mới tư duy kinh tế, chuyển sang phát triển nền kinh tế nhiều thành phần, vận hành theo cơ chế thị trường có
sự quản lý của Nhà nước. Năm 1991, Đại hội lần thứ VII thông qua Cương lĩnh xây dựng đất nước trong thời kỳ
quá độ lên chủ nghĩa xã hội; Cương lĩnh được bổ sung, phát triển tại Đại hội lần thứ XI năm 2011.

Sau gần bốn mươi năm đổi mới, đất nước ta đã thoát khỏi tình trạng kém phát triển, trở thành nước đang phát
triển có thu nhập trung bình; đời sống nhân dân được cải thiện rõ rệt; vị thế và uy tín quốc tế không ngừng
được nâng cao.

## Bài học kinh nghiệm
Thực tiễn cách mạng cho thấy những bài học lớn: nắm vững ngọn cờ độc lập dân tộc và chủ nghĩa xã hội; sự
nghiệp cách mạng là của nhân dân, do nhân dân, vì nhân dân; không ngừng củng cố, tăng cường đoàn kết; kết
hợp sức mạnh dân tộc với sức mạnh thời đại; sự lãnh đạo đúng đắn của Đảng là nhân tố hàng đầu quyết định
thắng lợi của cách mạng Việt Nam.

## Liên hệ bản thân
Đảng viên mới cần tìm hiểu lịch sử Đảng bộ địa phương, truyền thống của quê hương, từ đó bồi đắp niềm tự
hào và ý thức trách nhiệm tiếp nối truyền thống trong công việc hằng ngày.
"""

DVM_DUTIES = """
## Đảng viên là ai
Theo Điều lệ Đảng, đảng viên Đảng Cộng sản Việt Nam là chiến sĩ cách mạng trong đội tiên phong của giai cấp
công nhân, nhân dân lao động và dân tộc Việt Nam, suốt đời phấn đấu cho mục đích, lý tưởng của Đảng, đặt lợi
ích của Tổ quốc, của giai cấp công nhân và nhân dân lao động lên trên lợi ích cá nhân.

## Bốn nhiệm vụ của đảng viên (Điều 2 Điều lệ Đảng)
- **Thứ nhất**: tuyệt đối trung thành với mục đích lý tưởng cách mạng của Đảng, chấp hành nghiêm chỉnh Cương
  lĩnh chính trị, Điều lệ Đảng, nghị quyết, chỉ thị của Đảng, pháp luật của Nhà nước; hoàn thành tốt nhiệm vụ
  được giao; phục tùng tuyệt đối sự phân công và điều động của Đảng.
- **Thứ hai**: không ngừng học tập, rèn luyện, nâng cao trình độ kiến thức, năng lực công tác, phẩm chất chính
  trị, đạo đức cách mạng, có lối sống lành mạnh; đấu tranh chống chủ nghĩa cá nhân, cơ hội, cục bộ, quan liêu,
  tham nhũng, lãng phí và các biểu hiện tiêu cực khác.
- **Thứ ba**: liên hệ chặt chẽ với nhân dân, tôn trọng và phát huy quyền làm chủ của nhân dân; chăm lo đời sống
  vật chất, tinh thần và bảo vệ quyền lợi chính đáng của nhân dân; tích cực tham gia công tác quần chúng, công
  tác xã hội nơi làm việc và nơi ở; tuyên truyền, vận động gia đình và nhân dân thực hiện đường lối, chính sách
  của Đảng, pháp luật của Nhà nước.
- **Thứ tư**: tham gia xây dựng, bảo vệ đường lối, chính sách và tổ chức của Đảng; phục tùng kỷ luật, giữ gìn
  đoàn kết thống nhất trong Đảng; thường xuyên tự phê bình và phê bình, trung thực với Đảng; làm công tác phát
  triển đảng viên; sinh hoạt đảng và đóng đảng phí đúng quy định.

## Thực hiện nhiệm vụ trong thực tế
Với đảng viên mới, thực hiện nhiệm vụ bắt đầu từ những việc cụ thể: dự đầy đủ sinh hoạt chi bộ và phát biểu
ý kiến xây dựng; hoàn thành tốt công việc chuyên môn; giữ mối liên hệ với chi ủy, đảng ủy nơi cư trú; gương
mẫu chấp hành pháp luật và quy ước của thôn, tổ dân phố; đóng đảng phí đầy đủ, đúng hạn.

## Tình huống thảo luận
Một đảng viên mới được chi bộ phân công giúp đỡ một quần chúng ưu tú nhưng cho rằng mình còn ít kinh nghiệm
nên từ chối. Theo đồng chí, ý kiến đó có phù hợp với nhiệm vụ của đảng viên không? Đồng chí sẽ làm gì nếu
được phân công nhiệm vụ này?
"""

DVM_RIGHTS = """
## Bốn quyền của đảng viên (Điều 3 Điều lệ Đảng)
- Được thông tin và thảo luận các vấn đề về Cương lĩnh chính trị, Điều lệ Đảng, đường lối, chính sách của
  Đảng; biểu quyết công việc của Đảng.
- Ứng cử, đề cử và bầu cử cơ quan lãnh đạo các cấp của Đảng theo quy định của Ban Chấp hành Trung ương.
- Phê bình, chất vấn về hoạt động của tổ chức đảng và đảng viên ở mọi cấp trong phạm vi tổ chức; báo cáo,
  kiến nghị với các cơ quan có trách nhiệm và yêu cầu được trả lời.
- Trình bày ý kiến khi tổ chức đảng nhận xét, quyết định công tác hoặc thi hành kỷ luật đối với mình.

Đảng viên dự bị có các quyền như đảng viên chính thức, **trừ quyền biểu quyết, ứng cử và bầu cử cơ quan lãnh
đạo của Đảng**.

## Thời kỳ dự bị
Người được kết nạp vào Đảng phải trải qua thời kỳ dự bị **mười hai tháng**, tính từ ngày chi bộ tổ chức lễ
kết nạp. Trong thời kỳ này, đảng viên dự bị được chi bộ phân công đảng viên chính thức giúp đỡ, được học tập
chương trình bồi dưỡng lý luận chính trị dành cho đảng viên mới, và phải thường xuyên báo cáo kết quả rèn
luyện với chi bộ.

Khi hết thời kỳ dự bị, chi bộ xét công nhận đảng viên chính thức. Nếu không đủ tư cách đảng viên, chi bộ đề
nghị cấp ủy có thẩm quyền quyết định xóa tên trong danh sách đảng viên dự bị.

## Quan hệ giữa nhiệm vụ và quyền
Nhiệm vụ và quyền của đảng viên gắn bó chặt chẽ với nhau. Thực hiện tốt nhiệm vụ là điều kiện để sử dụng
đúng đắn các quyền; sử dụng đúng quyền, nhất là quyền thảo luận, phê bình, góp ý, là cách để đảng viên tham
gia xây dựng Đảng. Mọi ý kiến phải được nêu trong tổ chức, đúng nguyên tắc, với tinh thần xây dựng; không
tán phát, bình luận tùy tiện ngoài tổ chức.

## Nguyên tắc tập trung dân chủ
Nguyên tắc tổ chức cơ bản của Đảng là tập trung dân chủ: thiểu số phục tùng đa số, cấp dưới phục tùng cấp
trên, cá nhân phục tùng tổ chức, các tổ chức trong toàn Đảng phục tùng Đại hội đại biểu toàn quốc và Ban Chấp
hành Trung ương. Đảng viên được phát biểu ý kiến trong tổ chức; khi tổ chức đã quyết định thì phải chấp hành.

## Câu hỏi ôn tập
- Đảng viên dự bị không có những quyền nào?
- Vì sao mọi ý kiến góp ý phải được nêu trong tổ chức, đúng nguyên tắc?
"""

DVM_ETHICS = """
## Vị trí của đạo đức trong tư tưởng Hồ Chí Minh
Chủ tịch Hồ Chí Minh coi đạo đức là **gốc** của người cách mạng. Người viết: "Cũng như sông thì có nguồn mới
có nước, không có nguồn thì sông cạn. Cây phải có gốc, không có gốc thì cây héo. Người cách mạng phải có đạo
đức, không có đạo đức thì dù tài giỏi mấy cũng không lãnh đạo được nhân dân". Tư tưởng về đạo đức được Người
trình bày trong nhiều tác phẩm, như "Sửa đổi lối làm việc" (1947), "Đạo đức cách mạng" (1958), "Nâng cao đạo
đức cách mạng, quét sạch chủ nghĩa cá nhân" (1969).

## Những chuẩn mực đạo đức cơ bản
- **Trung với nước, hiếu với dân**: đặt lợi ích của Tổ quốc, của nhân dân lên trên hết.
- **Cần, kiệm, liêm, chính, chí công vô tư**: siêng năng, tiết kiệm, trong sạch, ngay thẳng, công bằng, không
  vụ lợi.
- **Thương yêu con người, sống có tình có nghĩa**: quan tâm, giúp đỡ đồng chí, đồng bào; khoan dung với người
  lầm lỗi biết sửa chữa.
- **Tinh thần quốc tế trong sáng**: tôn trọng, đoàn kết với nhân dân các nước.

## Những nguyên tắc xây dựng đạo đức
- **Nói đi đôi với làm, nêu gương về đạo đức**: Người nhấn mạnh "một tấm gương sống còn có giá trị hơn một
  trăm bài diễn văn tuyên truyền".
- **Xây đi đôi với chống**: xây dựng đạo đức mới gắn với đấu tranh chống chủ nghĩa cá nhân, thói quan liêu,
  tham ô, lãng phí.
- **Tu dưỡng đạo đức suốt đời**: đạo đức cách mạng không phải tự nhiên mà có, mà do đấu tranh, rèn luyện bền
  bỉ hằng ngày mà phát triển và củng cố.

## Học tập và làm theo Bác
Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo
đức, phong cách Hồ Chí Minh, mỗi cán bộ, đảng viên đăng ký những việc làm cụ thể hằng năm: đúng giờ, tận tụy
với công việc, tiết kiệm thời gian và tài sản công, tôn trọng và lắng nghe nhân dân. Cán bộ, đảng viên, nhất
là người đứng đầu, thực hiện trách nhiệm nêu gương theo quy định của Đảng.

## Câu hỏi ôn tập
- Vì sao Chủ tịch Hồ Chí Minh coi đạo đức là gốc của người cách mạng?
- Nêu một việc làm cụ thể đồng chí sẽ thực hiện để học tập và làm theo tấm gương đạo đức Hồ Chí Minh.
"""

DVM_PLAN = """
## Bản kế hoạch phấn đấu của đảng viên mới
Kết thúc chương trình, mỗi học viên xây dựng bản kế hoạch phấn đấu, rèn luyện trong thời kỳ dự bị để báo cáo
chi bộ. Bài này hướng dẫn cách lập kế hoạch; học viên đánh dấu "đã hoàn thành" sau khi đã viết xong kế hoạch
và gửi đảng viên được phân công giúp đỡ.

## Bố cục gợi ý
- **Phần 1 - Tự nhận xét**: ưu điểm, hạn chế của bản thân về phẩm chất chính trị, đạo đức, lối sống, năng lực
  công tác và mối quan hệ với quần chúng.
- **Phần 2 - Mục tiêu**: những điều cần đạt sau mười hai tháng dự bị, ví dụ hoàn thành xuất sắc nhiệm vụ
  chuyên môn, nâng cao trình độ lý luận, tham gia tích cực công tác đoàn thể.
- **Phần 3 - Việc làm cụ thể**: mỗi mục tiêu gắn với việc làm, thời hạn và cách kiểm tra kết quả.
- **Phần 4 - Đề nghị**: những nội dung mong được chi bộ, đảng viên chính thức giúp đỡ.

## Ví dụ việc làm cụ thể
- Dự đầy đủ sinh hoạt chi bộ, chuẩn bị ít nhất một ý kiến phát biểu cho mỗi kỳ sinh hoạt.
- Đọc và ghi chép các nghị quyết mới của Đảng bộ tỉnh, Đảng bộ xã; trao đổi với đồng chí giúp đỡ.
- Giữ mối liên hệ với chi ủy nơi cư trú; tham gia các hoạt động của thôn, tổ dân phố.
- Đăng ký ít nhất một sáng kiến, cải tiến trong công việc chuyên môn.
- Hướng dẫn người dân sử dụng dịch vụ công trực tuyến trong phạm vi công việc của mình.

## Yêu cầu đối với bản kế hoạch
Bản kế hoạch cần ngắn gọn, thiết thực, phù hợp với vị trí công tác và hoàn cảnh của bản thân; tránh chung
chung, khẩu hiệu. Kế hoạch được chi bộ góp ý, là căn cứ để đảng viên được phân công giúp đỡ theo dõi, nhận
xét và để chi bộ xem xét khi công nhận đảng viên chính thức.

## Tự kiểm tra trước khi đánh dấu hoàn thành
Bản kế hoạch của đồng chí đã có đủ bốn phần chưa? Mỗi mục tiêu đã có việc làm cụ thể và thời hạn chưa? Đồng
chí đã gửi kế hoạch cho đảng viên được phân công giúp đỡ chưa?
"""

# =====================================================================================================
# 5. Kỹ năng lãnh đạo, quản lý dành cho cán bộ cấp xã
# =====================================================================================================

LDQL_PLANNING = """
## Vì sao cần kế hoạch tốt
Kế hoạch là công cụ để lãnh đạo biến nghị quyết thành việc làm cụ thể. Một kế hoạch tốt giúp cơ quan biết
rõ phải làm gì, ai làm, làm đến đâu, khi nào xong và cần những nguồn lực gì. Nhiều nghị quyết chậm đi vào
cuộc sống không phải vì chủ trương sai, mà vì kế hoạch thực hiện chung chung, không giao rõ trách nhiệm.

## Các bước xây dựng kế hoạch
- **Đánh giá thực trạng**: tổng hợp số liệu, ý kiến của các thôn, bộ phận; chỉ ra điểm mạnh, điểm yếu, khó
  khăn.
- **Xác định mục tiêu**: mục tiêu phải cụ thể, đo lường được, khả thi, phù hợp và có thời hạn.
- **Xác định nhiệm vụ, giải pháp**: mỗi mục tiêu có các nhiệm vụ tương ứng; chọn giải pháp trọng tâm, tránh
  dàn trải.
- **Phân công**: giao rõ cơ quan chủ trì, cơ quan phối hợp, người chịu trách nhiệm.
- **Bố trí nguồn lực**: kinh phí, nhân lực, phương tiện; huy động sự tham gia của nhân dân theo đúng quy định.
- **Kiểm tra, đánh giá**: thời điểm sơ kết, tổng kết; chỉ số đánh giá kết quả.

## Ví dụ một mục tiêu được viết tốt
Chưa tốt: "Nâng cao chất lượng cải cách hành chính."

Tốt hơn: "Đến hết quý IV, tỷ lệ hồ sơ thủ tục hành chính của xã được giải quyết đúng hạn đạt từ 98% trở lên;
Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã chủ trì, báo cáo kết quả hằng tháng tại giao ban."

## Tổ chức thực hiện và theo dõi
Sau khi ban hành, kế hoạch cần được phổ biến đến từng người thực hiện. Lãnh đạo theo dõi tiến độ bằng bảng
theo dõi đơn giản (nhiệm vụ, người phụ trách, thời hạn, tình trạng), cập nhật hằng tuần. Khi có vướng mắc,
cần xử lý kịp thời hoặc điều chỉnh kế hoạch, không để đến kỳ tổng kết mới phát hiện.

## Bài tập
Đồng chí hãy chọn một nhiệm vụ trọng tâm của xã trong năm nay và viết ba mục tiêu cụ thể, đo lường được,
kèm người chịu trách nhiệm và thời hạn hoàn thành.
"""

LDQL_MEETINGS = """
## Cuộc họp hiệu quả bắt đầu từ khâu chuẩn bị
Họp là một phương thức lãnh đạo, điều hành quan trọng, nhưng họp nhiều, họp dài làm mất thời gian của cán
bộ và người dân. Trước khi tổ chức một cuộc họp, người chủ trì cần tự hỏi: có thật sự cần họp không, hay có
thể giải quyết bằng văn bản, điện thoại hoặc trên phần mềm quản lý văn bản?

## Chuẩn bị
- Xác định rõ **mục đích** và kết quả mong muốn: thông tin, thảo luận hay ra quyết định.
- Mời đúng thành phần, không mời tràn lan.
- Gửi tài liệu trước ít nhất một ngày để người dự họp nghiên cứu.
- Dự kiến thời lượng cho từng nội dung.

## Điều hành
- Bắt đầu đúng giờ; nêu mục đích, chương trình và thời gian kết thúc.
- Báo cáo ngắn gọn, tập trung vào vấn đề cần xin ý kiến; không đọc lại toàn văn tài liệu đã gửi.
- Khuyến khích mọi người phát biểu, nhất là những người ít nói; giữ thảo luận đúng trọng tâm.
- Người chủ trì tóm tắt ý kiến, kết luận rõ ràng: việc gì, ai làm, khi nào xong.

## Sau cuộc họp
Thông báo kết luận cần được ban hành sớm, giao nhiệm vụ cụ thể. Ở cuộc họp kế tiếp, người chủ trì kiểm tra
việc thực hiện các kết luận trước. Thói quen này tạo kỷ luật, kỷ cương trong cơ quan.

## Họp trực tuyến
Khi họp trực tuyến với các thôn hoặc với cấp trên, cần kiểm tra đường truyền, âm thanh trước giờ họp; cử
người hỗ trợ kỹ thuật; quy ước cách xin phát biểu. Các cuộc họp có nội dung mật không được tổ chức trên nền
tảng không bảo đảm an toàn theo quy định.

## Tình huống
Một cuộc giao ban tuần của xã thường kéo dài cả buổi sáng vì các bộ phận lần lượt đọc báo cáo. Đồng chí hãy
đề xuất ba thay đổi để rút ngắn cuộc họp xuống còn một giờ mà vẫn giải quyết được các vấn đề cần thiết.
"""

LDQL_CITIZENS = """
## Tiếp công dân là trách nhiệm của người đứng đầu
Luật Tiếp công dân năm 2013 quy định Chủ tịch Ủy ban nhân dân cấp xã có trách nhiệm trực tiếp tiếp công dân
định kỳ tại trụ sở và tiếp đột xuất khi có vụ việc phức tạp, khẩn cấp. Tiếp công dân là dịp để lãnh đạo nắm
bắt tâm tư, nguyện vọng của nhân dân, phát hiện sớm những vấn đề bức xúc ở cơ sở.

## Phân biệt các loại đơn
- **Kiến nghị, phản ánh**: người dân đề xuất ý kiến, cung cấp thông tin về một vấn đề của địa phương.
- **Khiếu nại**: đề nghị xem xét lại quyết định hành chính, hành vi hành chính khi cho rằng quyền, lợi ích
  hợp pháp của mình bị xâm phạm (theo Luật Khiếu nại năm 2011).
- **Tố cáo**: báo cho cơ quan có thẩm quyền biết về hành vi vi phạm pháp luật của cơ quan, tổ chức, cá nhân
  (theo Luật Tố cáo năm 2018). Người tố cáo được giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân.

Phân loại đúng giúp xử lý đúng trình tự, đúng thẩm quyền và đúng thời hạn.

## Kỹ năng tiếp công dân
- **Lắng nghe**: để người dân trình bày hết, không ngắt lời, ghi chép đầy đủ.
- **Tôn trọng**: thái độ niềm nở, lời lẽ mực thước, kể cả khi người dân bức xúc.
- **Làm rõ**: hỏi lại những điểm chưa rõ, đề nghị cung cấp giấy tờ liên quan.
- **Trả lời đúng thẩm quyền**: việc thuộc thẩm quyền thì hẹn thời hạn giải quyết; việc không thuộc thẩm quyền
  thì hướng dẫn người dân đến đúng cơ quan.
- **Không hứa hẹn** những điều trái quy định hoặc vượt quá khả năng giải quyết.

## Giải quyết dứt điểm từ cơ sở
Nhiều vụ việc phức tạp bắt nguồn từ những mâu thuẫn nhỏ không được giải quyết kịp thời. Phát huy vai trò của
tổ hòa giải ở cơ sở, Mặt trận Tổ quốc và các đoàn thể, người có uy tín trong cộng đồng; kết hợp giải thích,
vận động với giải quyết đúng pháp luật. Kết quả giải quyết cần được thông báo công khai, rõ ràng để người dân
hiểu và đồng thuận.

## Tình huống
Một nhóm hộ dân đến trụ sở xã phản ánh việc thi công đường giao thông làm ngập ruộng. Người dân bức xúc, nói
to. Đồng chí là lãnh đạo xã trực tiếp tiếp dân, hãy nêu trình tự các việc cần làm trong buổi tiếp và sau buổi
tiếp.
"""

LDQL_MASS = """
## Mặt trận Tổ quốc và các đoàn thể - cầu nối với nhân dân
Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội ở cơ sở là cầu nối giữa Đảng, chính quyền với
nhân dân. Chính quyền cấp xã làm tốt việc phối hợp với Mặt trận và các đoàn thể sẽ huy động được sức mạnh
của cả cộng đồng trong phát triển kinh tế, xây dựng nông thôn mới, đô thị văn minh, bảo đảm an ninh, trật tự.

## Nội dung phối hợp
- Tuyên truyền, vận động nhân dân thực hiện chủ trương của Đảng, chính sách, pháp luật của Nhà nước.
- Thực hiện dân chủ ở cơ sở theo Luật Thực hiện dân chủ ở cơ sở năm 2022: công khai thông tin, để nhân dân bàn
  và quyết định, tham gia ý kiến, kiểm tra, giám sát.
- Giám sát và phản biện xã hội đối với các chương trình, dự án ở địa phương.
- Tham gia xây dựng Đảng, xây dựng chính quyền; tiếp nhận ý kiến, kiến nghị của cử tri và nhân dân.
- Tổ chức các phong trào thi đua, cuộc vận động; chăm lo cho hộ nghèo, người có công, người yếu thế.

## Cách thức phối hợp hiệu quả
- Xây dựng và thực hiện quy chế phối hợp, xác định rõ trách nhiệm của mỗi bên.
- Mời đại diện Mặt trận, các đoàn thể dự các cuộc họp bàn những vấn đề liên quan đến quyền, lợi ích của nhân
  dân.
- Phản hồi đầy đủ, kịp thời các kiến nghị sau giám sát; không để kiến nghị "rơi vào im lặng".
- Tạo điều kiện về thời gian, kinh phí, phương tiện theo quy định để các đoàn thể hoạt động.
- Giao nhiệm vụ phù hợp với thế mạnh của từng tổ chức: đoàn viên thanh niên hỗ trợ chuyển đổi số, hội phụ nữ
  vận động xây dựng gia đình văn hóa, hội nông dân hướng dẫn sản xuất.

## Ví dụ
Khi triển khai làm đường bê tông liên thôn, Ủy ban nhân dân xã phối hợp với Ban Công tác Mặt trận ở thôn tổ
chức họp dân, công khai thiết kế, dự toán, phần đóng góp của nhân dân; mời đại diện người dân tham gia giám
sát thi công. Nhờ công khai, minh bạch, công trình hoàn thành đúng tiến độ và được nhân dân đồng thuận.

## Câu hỏi thảo luận
Ở địa phương đồng chí, lĩnh vực nào cần tăng cường phối hợp giữa chính quyền với Mặt trận và các đoàn thể?
Hãy đề xuất một việc làm cụ thể.
"""

# =====================================================================================================
# 6. Kiến thức quốc phòng và an ninh đối tượng 4
# =====================================================================================================

QPAN_GENERAL = """
## Mục đích của việc bồi dưỡng
Giáo dục quốc phòng và an ninh nhằm giúp cán bộ, công chức, viên chức và người dân hiểu biết cơ bản về quan
điểm, đường lối của Đảng, chính sách, pháp luật của Nhà nước về quốc phòng, an ninh; nâng cao ý thức, trách
nhiệm bảo vệ Tổ quốc. Luật Giáo dục quốc phòng và an ninh năm 2013 quy định việc bồi dưỡng kiến thức quốc
phòng và an ninh theo từng đối tượng, phù hợp với vị trí công tác.

## Bảo vệ Tổ quốc là nhiệm vụ của toàn dân
Hiến pháp năm 2013 khẳng định bảo vệ Tổ quốc Việt Nam xã hội chủ nghĩa là sự nghiệp của toàn dân. Nhà nước
củng cố và tăng cường nền quốc phòng toàn dân và an ninh nhân dân mà nòng cốt là lực lượng vũ trang nhân
dân. Công dân có nghĩa vụ trung thành với Tổ quốc, thực hiện nghĩa vụ quân sự và tham gia xây dựng nền quốc
phòng toàn dân.

## Một số văn bản pháp luật cơ bản
- Luật Quốc phòng năm 2018.
- Luật Công an nhân dân năm 2018.
- Luật Dân quân tự vệ năm 2019.
- Luật Giáo dục quốc phòng và an ninh năm 2013.
- Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở năm 2023.

## Mục tiêu bảo vệ Tổ quốc
Bảo vệ vững chắc độc lập, chủ quyền, thống nhất, toàn vẹn lãnh thổ; bảo vệ Đảng, Nhà nước, nhân dân và chế
độ xã hội chủ nghĩa; bảo vệ sự nghiệp đổi mới, công nghiệp hóa, hiện đại hóa; bảo vệ lợi ích quốc gia - dân
tộc; giữ vững an ninh chính trị, trật tự, an toàn xã hội; giữ vững môi trường hòa bình, ổn định để phát triển
đất nước.

## Kết hợp kinh tế với quốc phòng, an ninh
Một nội dung quan trọng là kết hợp chặt chẽ phát triển kinh tế - xã hội với tăng cường quốc phòng, an ninh
ngay trong từng chiến lược, quy hoạch, kế hoạch và dự án. Ở cấp xã, điều đó thể hiện trong việc bố trí dân
cư, xây dựng công trình giao thông, thủy lợi, trường học, trạm y tế vừa phục vụ dân sinh, vừa đáp ứng yêu cầu
khi có tình huống.

## Trách nhiệm của cán bộ, công chức
Mỗi cán bộ, công chức cần nắm vững kiến thức cơ bản, gương mẫu chấp hành pháp luật về quốc phòng, an ninh,
tham gia tuyên truyền trong gia đình và cộng đồng, hoàn thành nhiệm vụ được giao khi có tình huống.
"""

QPAN_POSTURE = """
## Nền quốc phòng toàn dân
Theo Luật Quốc phòng năm 2018, nền quốc phòng toàn dân là sức mạnh quốc phòng của đất nước, được xây dựng
trên nền tảng nhân lực, vật lực, tinh thần, mang tính chất toàn dân, toàn diện, độc lập, tự chủ, tự lực, tự
cường. Sức mạnh
đó không chỉ nằm ở lực lượng vũ trang mà ở sự đồng lòng của toàn dân.

## Thế trận quốc phòng toàn dân gắn với thế trận an ninh nhân dân
Thế trận quốc phòng toàn dân là sự tổ chức, bố trí lực lượng, tiềm lực mọi mặt của đất nước và của toàn dân
trên toàn bộ lãnh thổ theo yêu cầu của quốc phòng, bảo vệ Tổ quốc. Thế trận an ninh nhân dân là sự bố trí lực
lượng, tiềm lực để bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn xã hội. Hai thế trận này gắn bó chặt chẽ,
hỗ trợ lẫn nhau, tạo thành chỉnh thể thống nhất.

## Khu vực phòng thủ
Khu vực phòng thủ là bộ phận hợp thành phòng thủ quân khu, gồm các hoạt động về chính trị, kinh tế, văn hóa,
xã hội, khoa học, công nghệ, quân sự, an ninh, đối ngoại, được tổ chức theo địa giới hành chính. Xã, phường
giữ vai trò quan trọng trong khu vực phòng thủ: là nơi xây dựng lực lượng dân quân, thực hiện các biện pháp
phòng thủ dân sự và gắn kết quân với dân.

## Lực lượng vũ trang nhân dân
Lực lượng vũ trang nhân dân gồm Quân đội nhân dân, Công an nhân dân và Dân quân tự vệ. Ở cấp xã, **dân quân**
là lực lượng vũ trang quần chúng không thoát ly sản xuất, công tác, làm nòng cốt cùng toàn dân bảo vệ địa
phương; công an xã bảo đảm an ninh, trật tự hằng ngày.

## Phòng thủ dân sự
Phòng thủ dân sự gồm các biện pháp phòng, chống chiến tranh, phòng, chống và khắc phục hậu quả thiên tai, dịch
bệnh, sự cố. Chính quyền cấp xã xây dựng phương án, tổ chức diễn tập, huy động lực lượng tại chỗ theo phương
châm "bốn tại chỗ": chỉ huy tại chỗ, lực lượng tại chỗ, phương tiện, vật tư tại chỗ và hậu cần tại chỗ.

## Liên hệ thực tiễn
Những năm gần đây, lực lượng dân quân, công an xã cùng nhân dân nhiều địa phương đã kịp thời ứng cứu khi
mưa lũ, sạt lở đất, di dời người dân đến nơi an toàn. Đó là biểu hiện sinh động của thế trận lòng dân, nền
tảng vững chắc của quốc phòng toàn dân và an ninh nhân dân.
"""

QPAN_SECURITY = """
## An ninh, trật tự ở cơ sở
Giữ vững an ninh chính trị, trật tự, an toàn xã hội ở cơ sở là điều kiện để phát triển kinh tế - xã hội. Xã,
phường là nơi trực tiếp phát hiện, ngăn chặn các hành vi vi phạm pháp luật và giải quyết những mâu thuẫn, tranh
chấp trong nhân dân ngay từ khi mới phát sinh.

## Lực lượng bảo đảm an ninh, trật tự ở cơ sở
- **Công an xã** là lực lượng nòng cốt trong bảo vệ an ninh, trật tự ở địa bàn.
- **Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở** được tổ chức ở thôn, tổ dân phố theo Luật năm 2023,
  hỗ trợ công an xã nắm tình hình, tuyên truyền, tuần tra, bảo vệ mục tiêu khi được huy động.
- **Tổ hòa giải ở cơ sở**, Mặt trận Tổ quốc và các đoàn thể tham gia giải quyết mâu thuẫn trong nội bộ nhân dân.

## Những vấn đề cần chú ý
- Tình hình tranh chấp đất đai, khiếu kiện đông người có thể phát sinh điểm nóng nếu không giải quyết kịp thời.
- Tội phạm và vi phạm pháp luật về ma túy, cờ bạc, tín dụng đen, trộm cắp tài sản.
- **Lừa đảo qua mạng**: giả danh cơ quan công an, ngân hàng, nhân viên điện lực; lừa đảo việc làm, đầu tư.
- Tai nạn giao thông, cháy nổ, đuối nước, nhất là ở trẻ em.
- Tin giả, thông tin sai sự thật trên mạng xã hội gây hoang mang trong nhân dân.

## Cán bộ, công chức cần làm gì
- Nắm chắc tình hình trong phạm vi công việc; khi phát hiện dấu hiệu vi phạm, báo ngay cho công an xã.
- Tuyên truyền người dân cảnh giác với các thủ đoạn lừa đảo: không cung cấp mã xác thực (OTP), không chuyển
  tiền theo yêu cầu qua điện thoại, kiểm tra thông tin qua kênh chính thức.
- Giải quyết kịp thời, đúng pháp luật kiến nghị của người dân để không phát sinh điểm nóng.
- Chỉ chia sẻ thông tin từ nguồn chính thống; không bình luận, chia sẻ tin chưa được kiểm chứng.

## Ví dụ
Nhiều xã đã xây dựng mô hình "camera an ninh" do nhân dân đóng góp lắp đặt ở các tuyến đường, ngã ba, góp
phần phòng ngừa trộm cắp, hỗ trợ xử lý vi phạm giao thông. Mô hình hiệu quả khi được quản lý đúng quy định,
bảo đảm quyền riêng tư của người dân và có sự đồng thuận của cộng đồng.
"""

QPAN_MOVEMENT = """
## Phong trào toàn dân bảo vệ an ninh Tổ quốc
Phong trào toàn dân bảo vệ an ninh Tổ quốc là phong trào cách mạng do Đảng lãnh đạo, huy động mọi tầng lớp
nhân dân tham gia bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn xã hội. Ngày 19/8 hằng năm là **Ngày hội
toàn dân bảo vệ an ninh Tổ quốc**, gắn với ngày truyền thống của lực lượng Công an nhân dân.

## Nội dung chủ yếu
- Tuyên truyền, giáo dục nâng cao ý thức cảnh giác, trách nhiệm bảo vệ an ninh, trật tự.
- Xây dựng các mô hình tự quản về an ninh, trật tự ở thôn, tổ dân phố, cơ quan, doanh nghiệp, nhà trường.
- Tham gia phòng ngừa, phát hiện, tố giác tội phạm; giúp đỡ, cảm hóa người lầm lỗi tái hòa nhập cộng đồng.
- Xây dựng thôn, tổ dân phố, cơ quan đạt tiêu chuẩn "an toàn về an ninh, trật tự".

## Bảo vệ an ninh trên không gian mạng
Không gian mạng ngày càng trở thành môi trường quan trọng của đời sống xã hội. Luật An ninh mạng năm 2018 quy
định các hành vi bị nghiêm cấm, như đăng tải thông tin sai sự thật, xúc phạm danh dự, nhân phẩm người khác,
lừa đảo, chiếm đoạt tài sản. Cán bộ, công chức cần:
- Bảo vệ tài khoản công vụ và tài khoản cá nhân; không dùng thiết bị cá nhân không an toàn để xử lý tài liệu
  công việc.
- Không đưa tài liệu nội bộ, tài liệu mật lên mạng xã hội hay các nhóm trò chuyện.
- Gương mẫu sử dụng mạng xã hội văn minh, lan tỏa thông tin tích cực.

## Trách nhiệm của cơ quan, đơn vị
Người đứng đầu cơ quan, đơn vị chịu trách nhiệm về công tác bảo vệ an ninh, trật tự, bảo vệ bí mật nhà nước
trong phạm vi quản lý; xây dựng nội quy, quy chế; phối hợp với công an xã trong phòng cháy, chữa cháy, bảo vệ
tài sản, bảo vệ nội bộ.

## Tự đánh giá
Đồng chí hãy liệt kê ba việc cụ thể mà cơ quan, đơn vị mình có thể làm ngay để tham gia phong trào toàn dân
bảo vệ an ninh Tổ quốc, trong đó có ít nhất một việc liên quan đến an ninh trên không gian mạng.
"""

# =====================================================================================================
# 7. Bí thư đảng ủy cấp xã (audience: commune Party secretaries)
# =====================================================================================================

BT_ROLE = """
## Vị trí, vai trò của bí thư đảng ủy cấp xã
Đảng bộ xã, phường là nền tảng của Đảng ở cơ sở, là hạt nhân chính trị lãnh đạo hệ thống chính trị và toàn
diện các mặt công tác ở địa phương. Bí thư đảng ủy là người đứng đầu, chịu trách nhiệm trước cấp ủy cấp trên
và trước đảng bộ về kết quả lãnh đạo của đảng bộ. Trong mô hình chính quyền địa phương hai cấp, phạm vi và
khối lượng công việc của cấp xã tăng lên, đòi hỏi bí thư đảng ủy có tầm nhìn rộng hơn, phương pháp lãnh đạo
khoa học hơn.

## Những trách nhiệm chủ yếu
- Chủ trì xây dựng và tổ chức thực hiện nghị quyết đại hội đảng bộ, chương trình công tác toàn khóa và hằng
  năm của đảng ủy.
- Lãnh đạo công tác chính trị, tư tưởng; nắm bắt tâm tư, nguyện vọng của cán bộ, đảng viên và nhân dân.
- Lãnh đạo công tác tổ chức, cán bộ theo nguyên tắc tập trung dân chủ, thực hiện đúng quy chế làm việc.
- Lãnh đạo chính quyền, Mặt trận Tổ quốc và các đoàn thể thực hiện nhiệm vụ chính trị của địa phương.
- Chỉ đạo công tác kiểm tra, giám sát, phòng, chống tham nhũng, lãng phí, tiêu cực.
- Thực hiện trách nhiệm nêu gương; đối thoại trực tiếp với nhân dân.

## Phẩm chất và năng lực cần có
Bí thư đảng ủy cấp xã cần có bản lĩnh chính trị vững vàng, đạo đức trong sáng, gần dân, hiểu dân; năng lực
cụ thể hóa chủ trương của cấp trên thành chương trình hành động phù hợp với địa phương; năng lực quy tụ, đoàn
kết tập thể; khả năng phát hiện và xử lý kịp thời những vấn đề phức tạp phát sinh ở cơ sở.

## Lãnh đạo bằng phương pháp dân chủ
Bí thư không làm thay chính quyền, không bao biện cho các tổ chức trong hệ thống chính trị. Vai trò lãnh đạo
thể hiện ở việc định hướng bằng nghị quyết, bố trí cán bộ, kiểm tra, giám sát và bằng sự nêu gương của cán bộ,
đảng viên. Mọi quyết định quan trọng phải được thảo luận tập thể, quyết định theo đa số; cá nhân được phân công
chịu trách nhiệm tổ chức thực hiện.

## Câu hỏi suy ngẫm
Trong công việc thực tế, đồng chí đã phân định rõ giữa lãnh đạo của đảng ủy và quản lý, điều hành của chính
quyền xã chưa? Điểm nào cần điều chỉnh?
"""

BT_RESOLUTIONS = """
## Nghị quyết phải sát thực tiễn
Chất lượng lãnh đạo của đảng bộ thể hiện trước hết ở chất lượng nghị quyết. Một nghị quyết tốt phải xuất phát
từ thực tiễn của địa phương, xác định đúng vấn đề trọng tâm, có mục tiêu đo lường được và giải pháp khả thi.
Cần tránh nghị quyết sao chép, chung chung, dài dòng, khó kiểm tra.

## Quy trình xây dựng nghị quyết chuyên đề
- **Khảo sát, đánh giá thực trạng**: giao bộ phận tham mưu thu thập số liệu, lấy ý kiến chi bộ, thôn, người dân.
- **Xây dựng dự thảo**: nêu rõ mục tiêu, chỉ tiêu, nhiệm vụ, giải pháp, phân công trách nhiệm và lộ trình.
- **Lấy ý kiến**: gửi dự thảo đến các chi bộ, Mặt trận và đoàn thể; tiếp thu, giải trình ý kiến.
- **Thảo luận, biểu quyết** tại hội nghị đảng ủy theo quy chế làm việc.
- **Ban hành kế hoạch thực hiện**: chính quyền và các tổ chức cụ thể hóa bằng chương trình, kế hoạch của mình.

## Đưa nghị quyết vào cuộc sống
Sau khi ban hành, nghị quyết phải được quán triệt đến từng chi bộ và đảng viên, tuyên truyền đến nhân dân bằng
hình thức phù hợp: hội nghị thôn, loa truyền thanh, trang thông tin điện tử, nhóm trò chuyện của thôn. Mỗi chi
bộ xây dựng kế hoạch, mỗi đảng viên đăng ký việc làm cụ thể.

## Kiểm tra, sơ kết, tổng kết
Định kỳ, ban thường vụ đảng ủy kiểm tra việc thực hiện; sơ kết để điều chỉnh kịp thời, tổng kết để rút kinh
nghiệm. Những chỉ tiêu không đạt cần phân tích rõ nguyên nhân khách quan, chủ quan và trách nhiệm của tập thể,
cá nhân.

## Ví dụ
Đảng ủy một xã vùng cao ban hành nghị quyết chuyên đề về phát triển cây dược liệu dưới tán rừng với chỉ tiêu
cụ thể về diện tích, số hộ tham gia và thu nhập. Đảng ủy giao chính quyền xây dựng kế hoạch hỗ trợ giống, kỹ
thuật; Hội Nông dân hướng dẫn sản xuất; Đoàn Thanh niên hỗ trợ bán hàng trực tuyến. Mỗi quý, thường trực đảng
ủy kiểm tra tại thực địa. Sau hai năm, số hộ tham gia tăng gấp đôi, thu nhập của người dân được cải thiện.
"""

BT_CELLS = """
## Nâng cao chất lượng sinh hoạt chi bộ
Chi bộ là tế bào của Đảng, là nơi trực tiếp giáo dục, quản lý, phân công nhiệm vụ cho đảng viên. Sinh hoạt chi
bộ có chất lượng khi đảm bảo tính lãnh đạo, tính giáo dục và tính chiến đấu. Bí thư đảng ủy cần chỉ đạo các chi
bộ:
- Chuẩn bị kỹ nội dung; lựa chọn những vấn đề thiết thực của thôn, tổ dân phố, cơ quan để thảo luận.
- Kết hợp sinh hoạt thường kỳ với sinh hoạt chuyên đề; mời đảng viên phát biểu, tránh chỉ đọc báo cáo.
- Ra kết luận rõ ràng, phân công cụ thể; kiểm tra việc thực hiện ở kỳ sinh hoạt sau.
- Thực hiện tự phê bình và phê bình thẳng thắn, chân thành, với tinh thần xây dựng.

## Dự sinh hoạt với chi bộ
Các đồng chí đảng ủy viên được phân công theo dõi, định kỳ dự sinh hoạt với chi bộ để nắm tình hình, hướng dẫn,
tháo gỡ khó khăn. Bí thư đảng ủy cần trực tiếp dự sinh hoạt với những chi bộ còn yếu, những nơi có vấn đề phức
tạp.

## Công tác kiểm tra, giám sát
Kiểm tra, giám sát là chức năng lãnh đạo của Đảng. Đảng ủy xây dựng chương trình kiểm tra, giám sát hằng năm,
tập trung vào những lĩnh vực dễ phát sinh sai phạm như quản lý đất đai, tài chính, đầu tư xây dựng, thực hiện
chính sách an sinh xã hội. Cần chú trọng giám sát thường xuyên để phát hiện sớm, nhắc nhở kịp thời, ngăn ngừa
vi phạm từ khi còn nhỏ; xử lý nghiêm minh, đúng quy định khi có vi phạm.

## Công tác phát triển đảng viên
Quan tâm bồi dưỡng, tạo nguồn kết nạp đảng viên trong đoàn viên thanh niên, người lao động ở thôn, bản, trong
các doanh nghiệp, hợp tác xã. Xóa "thôn trắng" đảng viên, chi bộ là nhiệm vụ cần được lãnh đạo thường xuyên ở
những địa bàn khó khăn.

## Câu hỏi thảo luận
Chi bộ nào trong đảng bộ của đồng chí sinh hoạt chưa hiệu quả? Nguyên nhân là gì và đảng ủy cần làm gì để
khắc phục?
"""

# =====================================================================================================
# 8. Draft: Hội nhập quốc tế (a lecturer is still writing it)
# =====================================================================================================

HNQT_ASEAN = """
## Hiệp hội các quốc gia Đông Nam Á
Hiệp hội các quốc gia Đông Nam Á (ASEAN) được thành lập ngày 8/8/1967 tại Băng Cốc, Thái Lan. Việt Nam chính
thức trở thành thành viên ASEAN ngày 28/7/1995. Từ đó đến nay, Việt Nam luôn là thành viên tích cực, chủ động
và có trách nhiệm, đã đảm nhiệm vai trò Chủ tịch ASEAN các năm 1998, 2010 và 2020.

## Cộng đồng ASEAN và ba trụ cột
Cộng đồng ASEAN được chính thức hình thành vào cuối năm 2015 trên ba trụ cột:
- **Cộng đồng Chính trị - An ninh**: hợp tác vì hòa bình, ổn định, giải quyết bất đồng bằng biện pháp hòa bình.
- **Cộng đồng Kinh tế**: hướng tới một thị trường và cơ sở sản xuất thống nhất, tạo thuận lợi cho thương mại,
  đầu tư.
- **Cộng đồng Văn hóa - Xã hội**: nâng cao chất lượng cuộc sống, phát triển nguồn nhân lực, bảo vệ môi trường,
  tăng cường giao lưu giữa nhân dân các nước.

## Ý nghĩa đối với địa phương
Hội nhập ASEAN mở ra cơ hội cho các địa phương thu hút đầu tư, mở rộng thị trường cho nông sản, phát triển du
lịch, giao lưu văn hóa. Đồng thời, doanh nghiệp và người sản xuất phải nâng cao chất lượng sản phẩm, đáp ứng
tiêu chuẩn về an toàn thực phẩm, truy xuất nguồn gốc và bảo vệ môi trường để cạnh tranh.

## Cán bộ cấp cơ sở cần biết gì
- Nắm được các cam kết chính liên quan đến lĩnh vực mình phụ trách, ví dụ về thương mại nông sản, lao động.
- Hướng dẫn người sản xuất tiếp cận thông tin thị trường, tiêu chuẩn chất lượng.
- Tuyên truyền để người dân hiểu đúng về cơ hội và thách thức của hội nhập.

## Ghi chú của giảng viên
Bài giảng đang được hoàn thiện: các bài tiếp theo sẽ giới thiệu các hiệp định thương mại tự do mà Việt Nam đã
tham gia và kinh nghiệm của một số địa phương trong thu hút đầu tư.
"""

# =====================================================================================================
# The courses
# =====================================================================================================

P = "page"


def _page(title: str, text: str, minutes: int, **kw) -> LessonText:
    return LessonText(title=title, text=text, kind=P, minutes=minutes, **kw)


NQ57 = CourseText(
    code="BD-NQ57",
    title="Học tập, quán triệt Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
          "và chuyển đổi số quốc gia",
    category="NQD", kind="boi_duong", hours=8,
    summary="""
Khóa bồi dưỡng giúp cán bộ, đảng viên nắm vững bối cảnh, quan điểm chỉ đạo, mục tiêu, nhiệm vụ và giải pháp
của **Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị**, từ đó vận dụng vào thực tiễn của cơ quan,
đơn vị và địa phương, nhất là ở cấp xã.

Học viên hoàn thành khóa học khi đã học hết các bài bắt buộc, kể cả tài liệu tóm tắt Nghị quyết.
""",
    sections=(
        SectionText("Phần 1. Bối cảnh và quan điểm chỉ đạo", (
            _page("Bài 1. Bối cảnh ban hành Nghị quyết", NQ57_CONTEXT, 40),
            _page("Bài 2. Các quan điểm chỉ đạo", NQ57_VIEWPOINTS, 45),
        ), "Vì sao Nghị quyết ra đời và những quan điểm chỉ đạo xuyên suốt."),
        SectionText("Phần 2. Mục tiêu, nhiệm vụ và giải pháp", (
            _page("Bài 3. Mục tiêu đến năm 2030, tầm nhìn đến năm 2045", NQ57_GOALS, 45),
            _page("Bài 4. Nhiệm vụ, giải pháp chủ yếu", NQ57_TASKS, 60),
            LessonText(title="Tài liệu tóm tắt Nghị quyết 57-NQ/TW", kind="document", document="nq57", minutes=60,
                       text="Tài liệu tóm tắt dùng để đọc lại và ôn tập; có thể tải về để đọc khi không có mạng."),
        )),
        SectionText("Phần 3. Vận dụng ở cơ sở", (
            _page("Bài 5. Cấp xã triển khai thực hiện Nghị quyết", NQ57_COMMUNE, 50),
        )),
    ),
)

AI = CourseText(
    code="TH-AI-CBCC",
    title="Trí tuệ nhân tạo trong công tác của cán bộ, công chức",
    category="CDS", kind="tap_huan", hours=6,
    summary="""
Tập huấn giúp cán bộ, công chức hiểu đúng về trí tuệ nhân tạo, sử dụng các công cụ AI **an toàn** (không làm
lộ bí mật nhà nước, dữ liệu cá nhân), biết viết câu lệnh để hỗ trợ soạn thảo văn bản hành chính và luôn kiểm
chứng kết quả trước khi sử dụng.
""",
    sections=(
        SectionText("Phần 1. Hiểu đúng và dùng an toàn", (
            _page("Bài 1. Trí tuệ nhân tạo là gì", AI_WHAT, 40),
            _page("Bài 2. Sử dụng an toàn: dữ liệu, bí mật nhà nước và kiểm chứng kết quả", AI_SAFE, 50),
        )),
        SectionText("Phần 2. Ứng dụng trong công việc", (
            _page("Bài 3. Viết câu lệnh để soạn thảo văn bản hành chính", AI_PROMPTS, 60),
            _page("Bài 4. Giới hạn của trí tuệ nhân tạo và trách nhiệm của người sử dụng", AI_LIMITS, 40),
            LessonText(title="Tham khảo: Cổng Thông tin điện tử Chính phủ", kind="link", url="https://chinhphu.vn",
                       text=AI_PORTAL_NOTE, minutes=15),
        )),
    ),
)

CDS = CourseText(
    code="BD-CDS-XA",
    title="Chuyển đổi số cấp xã: dịch vụ công trực tuyến và dữ liệu dân cư",
    category="CDS", kind="boi_duong", hours=8,
    summary="""
Khóa bồi dưỡng dành cho cán bộ, công chức xã, phường: chuyển đổi số ở cơ sở, vận hành dịch vụ công trực
tuyến, khai thác **Cơ sở dữ liệu quốc gia về dân cư** theo Đề án 06, số hóa hồ sơ và bảo đảm an toàn thông tin.
""",
    sections=(
        SectionText("Phần 1. Chính quyền số ở cơ sở", (
            _page("Bài 1. Chuyển đổi số ở cấp xã: khái niệm và yêu cầu", CDS_BASICS, 40),
            _page("Bài 2. Dịch vụ công trực tuyến và hướng dẫn người dân", CDS_ONLINE, 50),
        )),
        SectionText("Phần 2. Dữ liệu và số hóa", (
            _page("Bài 3. Dữ liệu dân cư, định danh điện tử và Đề án 06", CDS_DATA, 50),
            _page("Bài 4. Số hóa hồ sơ, tổ công nghệ số cộng đồng và an toàn thông tin", CDS_DIGITISE, 50),
        )),
    ),
)

DVM = CourseText(
    code="BD-DVM",
    title="Bồi dưỡng lý luận chính trị dành cho đảng viên mới",
    category="DVM", kind="boi_duong", hours=40,
    summary="""
Chương trình dành cho đảng viên mới trong thời kỳ dự bị: lịch sử và truyền thống vẻ vang của Đảng, nhiệm vụ
và quyền của đảng viên theo **Điều lệ Đảng**, tư tưởng, đạo đức Hồ Chí Minh, và xây dựng kế hoạch phấn đấu,
rèn luyện của bản thân.
""",
    sections=(
        SectionText("Phần 1. Lịch sử và truyền thống của Đảng", (
            _page("Bài 1. Đảng Cộng sản Việt Nam ra đời", DVM_FOUNDING, 90),
            _page("Bài 2. Những thắng lợi lớn và công cuộc đổi mới", DVM_HISTORY, 90),
        )),
        SectionText("Phần 2. Điều lệ Đảng: nhiệm vụ và quyền của đảng viên", (
            _page("Bài 3. Nhiệm vụ của đảng viên", DVM_DUTIES, 90),
            _page("Bài 4. Quyền của đảng viên và thời kỳ dự bị", DVM_RIGHTS, 90),
        )),
        SectionText("Phần 3. Học tập và làm theo tư tưởng, đạo đức Hồ Chí Minh", (
            _page("Bài 5. Tư tưởng Hồ Chí Minh về đạo đức cách mạng", DVM_ETHICS, 90),
            _page("Bài 6. Kế hoạch phấn đấu, rèn luyện của đảng viên mới", DVM_PLAN, 60, manual=True),
        )),
    ),
)

LDQL = CourseText(
    code="BD-LDQL-XA",
    title="Kỹ năng lãnh đạo, quản lý dành cho cán bộ cấp xã",
    category="LDQL", kind="boi_duong", hours=16,
    summary="""
Bồi dưỡng các kỹ năng thiết yếu của cán bộ lãnh đạo, quản lý cấp xã: **xây dựng kế hoạch**, điều hành cuộc họp,
tiếp công dân và giải quyết kiến nghị, phản ánh, phối hợp với Mặt trận Tổ quốc và các đoàn thể.
""",
    sections=(
        SectionText("Phần 1. Lập kế hoạch và điều hành", (
            _page("Bài 1. Xây dựng và tổ chức thực hiện kế hoạch công tác", LDQL_PLANNING, 60),
            _page("Bài 2. Điều hành cuộc họp hiệu quả", LDQL_MEETINGS, 45),
        )),
        SectionText("Phần 2. Làm việc với nhân dân", (
            _page("Bài 3. Tiếp công dân, giải quyết kiến nghị, phản ánh", LDQL_CITIZENS, 60),
            _page("Bài 4. Phối hợp với Mặt trận Tổ quốc và các đoàn thể", LDQL_MASS, 45),
        )),
    ),
)

QPAN = CourseText(
    code="BD-QPAN-DT4",
    title="Kiến thức quốc phòng và an ninh đối tượng 4",
    category="QPAN", kind="boi_duong", hours=24,
    summary="""
Bồi dưỡng kiến thức quốc phòng và an ninh cho cán bộ, công chức, viên chức thuộc **đối tượng 4**: những vấn đề
chung về quốc phòng, an ninh; nền quốc phòng toàn dân, thế trận quốc phòng toàn dân gắn với thế trận an ninh
nhân dân; bảo vệ an ninh, trật tự ở cơ sở và trên không gian mạng.
""",
    sections=(
        SectionText("Phần 1. Quốc phòng toàn dân", (
            _page("Bài 1. Những vấn đề chung về quốc phòng và an ninh", QPAN_GENERAL, 90),
            _page("Bài 2. Nền quốc phòng toàn dân và khu vực phòng thủ", QPAN_POSTURE, 90),
        )),
        SectionText("Phần 2. An ninh nhân dân ở cơ sở", (
            _page("Bài 3. Bảo vệ an ninh, trật tự ở cơ sở", QPAN_SECURITY, 90),
            _page("Bài 4. Phong trào toàn dân bảo vệ an ninh Tổ quốc", QPAN_MOVEMENT, 90),
        )),
    ),
)

SECRETARIES = CourseText(
    code="BD-BTDU-XA",
    title="Nâng cao năng lực lãnh đạo dành cho bí thư đảng ủy xã, phường",
    category="LLCT", kind="boi_duong", hours=16,
    summary="""
Khóa bồi dưỡng **chỉ dành cho bí thư đảng ủy xã, phường**: vai trò, trách nhiệm của người đứng đầu đảng bộ cấp
xã, xây dựng và thực hiện nghị quyết, nâng cao chất lượng sinh hoạt chi bộ và công tác kiểm tra, giám sát.
""",
    sections=(
        SectionText("Phần 1. Người đứng đầu đảng bộ cấp xã", (
            _page("Bài 1. Vai trò, trách nhiệm của bí thư đảng ủy cấp xã", BT_ROLE, 60),
            _page("Bài 2. Lãnh đạo xây dựng và thực hiện nghị quyết", BT_RESOLUTIONS, 60),
        )),
        SectionText("Phần 2. Xây dựng tổ chức cơ sở đảng", (
            _page("Bài 3. Sinh hoạt chi bộ, kiểm tra, giám sát và phát triển đảng viên", BT_CELLS, 60),
        )),
    ),
)

HNQT_DRAFT = CourseText(
    code="TH-HNQT-ASEAN",
    title="Hội nhập quốc tế: Việt Nam trong Cộng đồng ASEAN",
    category="HNQT", kind="tap_huan", hours=8,
    summary="""
Tập huấn giới thiệu Cộng đồng ASEAN, các cam kết hội nhập và những cơ hội, thách thức đối với địa phương.
(Bản nháp: giảng viên đang biên soạn.)
""",
    sections=(
        SectionText("Phần 1. Cộng đồng ASEAN", (
            _page("Bài 1. Việt Nam và Cộng đồng ASEAN", HNQT_ASEAN, 45),
        )),
    ),
)

PUBLISHED = (NQ57, AI, CDS, DVM, LDQL, QPAN, SECRETARIES)
DRAFTS = (HNQT_DRAFT,)
COURSES = PUBLISHED + DRAFTS
DOCUMENTS = {"nq57": NQ57_SUMMARY}
