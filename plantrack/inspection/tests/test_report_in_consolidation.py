"""The consolidated report carries the section "Công tác kiểm tra, giám sát" under II, after the targets."""

import io

import docx

from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.consolidation.report.docx import consolidated_docx
from plantrack.consolidation.report.narrative import default_narrative


def test_section_in_the_consolidated_docx(world, visit, recommendation):
    cycle = world.open_cycle()
    compilation = consolidated_compile(cycle=cycle)
    assert compilation.inspection[0].startswith("Trong năm 2025, ")
    narrative = default_narrative(compilation, coordinator_agency=world.dept)
    texts = [p.text for p in docx.Document(io.BytesIO(consolidated_docx(compilation, narrative))).paragraphs]
    heading = texts.index("4. Công tác kiểm tra, giám sát")
    assert texts.index("3. Kết quả thực hiện các chỉ tiêu") < heading < texts.index("III. ĐÁNH GIÁ CHUNG")
    assert texts[heading + 1] == compilation.inspection[0]
    assert f"- {world.a.name}: Ban hành kế hoạch triển khai; thời hạn 15/11/2025 (quá hạn)." in texts
