"""Channels, themes, audiences and platforms on our own Vietnamese sentences.

Each row: a sentence, the category, ids that must be found, ids that must not.
The traps: the same word as channel vs theme, words that merely occur, text without
diacritics, NFD input, old-style tone placement, abbreviations.
"""

import unicodedata

import pytest

from etl.extract.categories import extract_mentions
from etl.text.views import TextViews


def found(text: str, category: str) -> set[str]:
    views = TextViews.of(text)
    mentions = extract_mentions(views, [(0, len(text))])[category]
    for mention in mentions:
        assert text[mention.evidence.start : mention.evidence.end] == mention.evidence.text
    return {m.id for m in mentions}


CHANNEL_CASES = [
    (
        "Đăng tải thông tin trên Cổng TTĐT của huyện và trang thông tin điện tử các xã.",
        {"web_portal"},
        {"public_service_portal"},
    ),
    (
        "Hướng dẫn người dân nộp hồ sơ trên Cổng Dịch vụ công quốc gia.",
        {"public_service_portal"},
        {"web_portal"},
    ),
    ("Lập fanpage và nhóm Zalo để cung cấp thông tin.", {"social_media"}, set()),
    ("Gửi tin nhắn SMS tới thuê bao trên địa bàn.", {"sms"}, set()),
    ("Phát sóng chuyên mục trên Đài PT-TH tỉnh và Báo Sóc Trăng.", {"radio_tv", "press"}, set()),
    (
        "Phát trên hệ thống loa truyền thanh ở các thôn, đài truyền thanh xã.",
        {"grassroots_info"},
        {"radio_tv"},
    ),
    ("Thông qua các phương tiện thông tin đại chúng.", {"mass_media_general"}, set()),
    ("In và cấp phát tờ gấp, tờ rơi cho người dân.", {"leaflet"}, set()),
    ("Dựng pa-nô, áp phích tại trung tâm xã.", {"poster_panel"}, set()),
    ("Treo băng-rôn, khẩu hiệu trên các tuyến đường.", {"banner_slogan"}, set()),
    ("Biên soạn và phát hành sổ tay hỏi đáp về thủ tục.", {"publication"}, set()),
    ("Đẩy mạnh tuyên truyền cổ động trực quan tại trụ sở.", {"visual_display"}, set()),
    # "trực quan" describing a message's style is not a visual-display channel
    ("Nội dung tuyên truyền phải ngắn gọn, trực quan, dễ hiểu.", set(), {"visual_display"}),
    ("Sản xuất các đoạn phim ngắn, video clip giới thiệu dịch vụ.", {"video"}, set()),
    ("Tổ chức hội nghị, toạ đàm chuyên đề về CCHC.", {"conference"}, set()),
    # a cited resolution of a party conference is not a conference the plan holds
    ("Thực hiện Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương.", set(), {"conference"}),
    ("Mở lớp tập huấn nghiệp vụ cho công chức một cửa.", {"training"}, set()),
    ("Phát động cuộc thi tìm hiểu về cải cách hành chính.", {"contest"}, set()),
    ("Lồng ghép vào các chương trình văn nghệ ở khu dân cư.", {"cultural_event"}, set()),
    ("Tổ chức tuyên truyền lưu động bằng xe loa.", {"mobile_outreach"}, set()),
    ("Phát huy đội ngũ báo cáo viên, tuyên truyền miệng.", {"oral_outreach"}, set()),
    ("Niêm yết công khai thủ tục tại Bộ phận một cửa.", {"public_posting"}, set()),
    # "đường dây nóng" as a number to publicise is a theme, not a channel
    ("Công bố số điện thoại đường dây nóng để người dân phản ánh.", set(), {"hotline"}),
    ("Tiếp nhận ý kiến thông qua đường dây nóng của huyện.", {"hotline"}, set()),
    # without diacritics
    (
        "Tuyen truyen tren Cong thong tin dien tu tinh, bao chi va to roi.",
        {"web_portal", "press", "leaflet"},
        set(),
    ),
    # "báo cáo" is a report, not the press
    ("Định kỳ báo cáo kết quả về Sở Nội vụ.", set(), {"press"}),
    ("Phát triển ứng dụng trên điện thoại thông minh để tra cứu hồ sơ.", {"mobile_app"}, set()),
]


@pytest.mark.parametrize(("text", "present", "absent"), CHANNEL_CASES)
def test_channels(text: str, present: set[str], absent: set[str]) -> None:
    ids = found(text, "channel")
    assert present <= ids
    assert not (absent & ids)


THEME_CASES = [
    (
        "Tuyên truyền về cải cách thể chế và cải cách TTHC.",
        {"institutional_reform", "procedure_reform"},
        set(),
    ),
    ("Sắp xếp tổ chức bộ máy gắn với tinh giản biên chế.", {"apparatus_reform"}, set()),
    ("Thực hiện cải cách chính sách tiền lương.", {"civil_service_reform"}, set()),
    ("Đổi mới cơ chế tự chủ tài chính của đơn vị sự nghiệp.", {"public_finance_reform"}, set()),
    ("Xây dựng chính quyền số, thúc đẩy chuyển đổi số.", {"e_government"}, set()),
    # using IT as the means of communication is not the e-government theme
    ("Ứng dụng công nghệ thông tin vào hoạt động tuyên truyền.", set(), {"e_government"}),
    (
        "Nâng cao chất lượng hoạt động của Trung tâm Phục vụ hành chính công.",
        {"one_stop_shop"},
        set(),
    ),
    ("Khuyến khích sử dụng dịch vụ công trực tuyến toàn trình.", {"online_public_services"}, set()),
    ("Kiểm soát TTHC chặt chẽ.", {"procedure_control"}, set()),
    ("Trả kết quả qua dịch vụ bưu chính công ích.", {"postal_public_service"}, set()),
    ("Công bố đường dây nóng tiếp nhận phản ánh, kiến nghị.", {"feedback_handling"}, set()),
    ("Bảo đảm công khai, minh bạch trong giải quyết hồ sơ.", {"transparency"}, set()),
    (
        "Quán triệt chủ trương của Đảng, chính sách pháp luật của Nhà nước.",
        {"party_state_policy"},
        set(),
    ),
    ("Nêu rõ ý nghĩa, lợi ích của cải cách hành chính.", {"benefits_significance"}, set()),
    ("Đề cao trách nhiệm của người đứng đầu cấp ủy.", {"leadership_responsibility"}, set()),
    ("Chấn chỉnh thái độ phục vụ, quy tắc ứng xử của công chức.", {"public_ethics"}, set()),
    ("Biểu dương gương điển hình, sáng kiến hay.", {"exemplary_models"}, set()),
    ("Nâng cao quyền và nghĩa vụ của công dân.", {"citizen_rights_participation"}, set()),
    ("Cải thiện môi trường đầu tư, kinh doanh.", {"business_environment"}, set()),
    ("Lồng ghép với phổ biến, giáo dục pháp luật.", {"legal_dissemination"}, set()),
    # "mô hình một cửa" is a one-stop shop, not an exemplary model
    ("Giới thiệu mô hình một cửa liên thông.", {"one_stop_shop"}, {"exemplary_models"}),
    # the centre that serves the public is not the service-attitude theme
    ("Trung tâm Phục vụ hành chính công đi vào hoạt động.", {"one_stop_shop"}, {"public_ethics"}),
    ("Hien dai hoa hanh chinh, ung dung CNTT trong CCHC.", {"e_government"}, set()),
]


@pytest.mark.parametrize(("text", "present", "absent"), THEME_CASES)
def test_themes(text: str, present: set[str], absent: set[str]) -> None:
    ids = found(text, "theme")
    assert present <= ids
    assert not (absent & ids)


AUDIENCE_CASES = [
    ("Nâng cao nhận thức của CB, CC, VC và người dân.", {"officials", "citizens"}, set()),
    # Ủy ban nhân dân is an agency, not the people
    ("Ủy ban nhân dân huyện ban hành kế hoạch.", set(), {"citizens"}),
    ("Hỗ trợ doanh nghiệp, nhà đầu tư khi làm thủ tục.", {"businesses"}, set()),
    ("Hướng dẫn tổ chức, cá nhân tra cứu hồ sơ.", {"organizations"}, set()),
    # "tổ chức" as a verb is not the organisations audience
    ("Tổ chức các lớp tập huấn cho công chức.", {"officials"}, {"organizations"}),
    ("Đối tượng: các cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập.", {"agencies"}, set()),
    # an agency named as a party to a relation, not targeted
    ("Quan hệ giữa công dân với cơ quan hành chính nhà nước.", {"citizens"}, {"agencies"}),
    ("Bồi dưỡng cho đội ngũ báo cáo viên.", {"propagandists"}, set()),
]


@pytest.mark.parametrize(("text", "present", "absent"), AUDIENCE_CASES)
def test_audiences(text: str, present: set[str], absent: set[str]) -> None:
    ids = found(text, "audience")
    assert present <= ids
    assert not (absent & ids)


def test_platforms() -> None:
    text = "Đăng tải trên trang Facebook, kênh YouTube, Zalo OA và TikTok của huyện."
    assert found(text, "platform") == {"facebook", "youtube", "zalo", "tiktok"}


def test_nfd_and_old_tone_placement_match() -> None:
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFD", "Tổ chức toạ đàm, hội thi."))
    assert {"conference", "contest"} <= found(text, "channel")


def test_only_fact_zones_are_searched() -> None:
    text = "Tin liên quan: Hội nghị trực tuyến\nPhát tờ rơi cho người dân."
    views = TextViews.of(text)
    second_line = (text.index("Phát"), len(text))
    ids = {m.id for m in extract_mentions(views, [second_line])["channel"]}
    assert ids == {"leaflet"}
