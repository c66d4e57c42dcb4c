"""The reference notice: metadata, wrapper and section tree."""

EXPECTED_SECTIONS = [
    ("一", "着力扩大有效需求", ["稳步扩大有效投资", "多措并举促进消费", "多管齐下稳住外贸"]),
    ("二", "着力建设现代产业体系", ["巩固提升先进制造业", "提质升级现代服务业", "加快发展生态农业"]),
    ("三", "着力增强科创动能", ["高水平建设创新载体", "深层次推动成果转化", "大力度培育创新主体"]),
    ("四", "着力深化改革攻坚", ["优化提升营商环境", "精准助力企业发展", "深化重点领域改革"]),
    ("五", "着力扩大高水平开放", ["深入推进长三角一体化发展", "加快建设“公铁水空”联运枢纽", "大力推动“地瓜经济”提能升级"]),
    ("六", "着力推动城乡区域协调发展", ["深化城乡融合发展", "提升城市能级品质", "推动减污降碳协同增效"]),
    ("七", "着力惠民生保平安", ["扎实推动“扩中”“提低”", "精准提质社会事业", "筑牢平安稳定基石"]),
]


def test_meta(notice_doc):
    meta = notice_doc.meta
    assert meta.title == "嘉兴市人民政府关于下达2024年嘉兴市国民经济和社会发展计划的通知"
    assert meta.issuer == "嘉兴市人民政府"
    assert meta.region == "嘉兴市"
    assert meta.year == 2024
    assert meta.date == "2024-02-08"
    assert meta.doc_type == "notice"
    assert meta.recipients == ["各县(市、区)人民政府", "市政府各部门、直属各单位"]
    assert meta.attachments == ["2024年嘉兴市国民经济和社会发展计划主要目标"]


def test_wrapper_is_kept_in_meta_not_body(notice_doc, notice_text):
    meta = notice_doc.meta
    assert len(meta.lead) == 2 and meta.lead[0].startswith("深入推进“135N”")
    assert meta.original_title == "浙江嘉兴:实施外贸回归行动,扩大光伏等产品出口"
    lead_end = notice_text.index("文件原文如下")
    assert meta.body.start > lead_end
    # the lead repeats 新增光伏装机60万千瓦: only the body's copy is reported
    pv = [t for t in notice_doc.targets if t.text == "60万千瓦"]
    assert len(pv) == 1 and pv[0].start > lead_end and pv[0].section == "六"
    assert meta.body.end < notice_text.index("附件")


def test_sections_and_measures(notice_doc, notice_text):
    got = [(s.label, s.title, [m.title for m in s.measures]) for s in notice_doc.sections]
    assert got == EXPECTED_SECTIONS
    for s in notice_doc.sections:
        assert notice_text[s.title_start:s.title_end] == s.title
        assert notice_text[s.start:].startswith(f"{s.label}、{s.title}")
        for m in s.measures:
            assert notice_text[m.title_start:m.title_end] == m.title
            assert s.start <= m.start < m.end <= s.end
            assert m.sentences and m.sentences[0].text.startswith(m.title + "。")
            assert all(notice_text[x.start:x.end] == x.text for x in m.sentences)


def test_target_counts_add_up(notice_doc):
    assert sum(s.target_count for s in notice_doc.sections) == len(notice_doc.targets)
    for s in notice_doc.sections:
        assert sum(m.target_count for m in s.measures) == s.target_count
