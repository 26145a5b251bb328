//! The consumer page's two languages: negotiation and every string it shows, in Vietnamese and
//! English. The platform is Vietnamese, so Vietnamese is the default whenever nothing decides.

use verdict::Verdict;

/// A language of the consumer page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Vietnamese.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    /// The other language, for the language switch.
    pub fn other(self) -> Self {
        match self {
            Self::Vi => Self::En,
            Self::En => Self::Vi,
        }
    }

    /// A language tag (`vi`, `vi-VN`, `en`, `en-GB`, any case) as one of ours, if it is one.
    fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("vi") {
            Some(Self::Vi)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// One of the fixed page strings.
    pub fn t(self, m: Msg) -> &'static str {
        let (vi, en) = m.texts();
        self.pick(vi, en)
    }

    pub(super) fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Vi => vi,
            Self::En => en,
        }
    }

    /// The verdict in one or two words.
    pub fn verdict(self, v: Verdict) -> &'static str {
        match v {
            Verdict::Verified => self.pick("Đã xác thực", "Verified"),
            Verdict::Warning => self.pick("Cần lưu ý", "Warning"),
            Verdict::NonCompliant => self.pick("Không phù hợp", "Non-compliant"),
            Verdict::Suspect => self.pick("Nghi vấn hàng giả", "Suspected counterfeit"),
            Verdict::Unknown => self.pick("Chưa đăng ký", "Not registered"),
            Verdict::Invalid => self.pick("Mã không hợp lệ", "Invalid code"),
        }
    }

    /// What the verdict means for the person holding the pack, in one line.
    pub fn verdict_explanation(self, v: Verdict) -> &'static str {
        match v {
            Verdict::Verified => self.pick(
                "Sản phẩm đã đăng ký, có chứng nhận hợp lệ từ tổ chức được công nhận và không có cảnh báo.",
                "Registered, certified by an accredited body, and nothing stands against it.",
            ),
            Verdict::Warning => self.pick(
                "Sản phẩm đã đăng ký nhưng có điểm cần lưu ý: xem lý do bên dưới.",
                "Registered, but something deserves your attention: see the reasons below.",
            ),
            Verdict::NonCompliant => self.pick(
                "Sản phẩm không đáp ứng yêu cầu. Đọc lý do bên dưới trước khi sử dụng.",
                "The product does not conform. Read the reasons below before using it.",
            ),
            Verdict::Suspect => self.pick(
                "Có dấu hiệu hàng giả hoặc hàng không rõ nguồn gốc. Không nên mua hay sử dụng.",
                "Signs of counterfeiting or diversion. Do not buy or use it.",
            ),
            Verdict::Unknown => self.pick(
                "Mã hợp lệ nhưng chưa có sản phẩm nào được đăng ký với mã này.",
                "A valid code, but no product is registered under it.",
            ),
            Verdict::Invalid => self.pick(
                "Không phải mã GS1 hợp lệ: có thể in sai, hỏng hoặc giả.",
                "Not a valid GS1 code: it may be misprinted, damaged or fake.",
            ),
        }
    }

    /// The sentence for a reason code of `verdict`, if it is one we know.
    pub fn reason(self, code: &str) -> Option<&'static str> {
        lookup(super::reasons::REASONS, self, code)
    }

    /// A certificate's effective status (`valid`, `expiring_soon`, ...) in words.
    pub fn certificate_status(self, status: &str) -> Option<&'static str> {
        lookup(CERTIFICATE_STATUSES, self, status)
    }

    /// A certificate kind (`certificate`, `test_report`, `inspection_certificate`) in words.
    pub fn certificate_kind(self, kind: &str) -> Option<&'static str> {
        lookup(CERTIFICATE_KINDS, self, kind)
    }

    /// An alert kind (`recall`, `safety_warning`) in words.
    pub fn alert_kind(self, kind: &str) -> Option<&'static str> {
        lookup(ALERT_KINDS, self, kind)
    }

    /// A serial state (`commissioned`, ..., `destroyed`) in words.
    pub fn serial_state(self, state: &str) -> Option<&'static str> {
        lookup(SERIAL_STATES, self, state)
    }

    /// A CBV 2.0 business step (`shipping`, ...) in words, for the steps a journey usually has.
    pub fn biz_step(self, step: &str) -> Option<&'static str> {
        lookup(BIZ_STEPS, self, step)
    }

    /// A country's name for an ISO 3166 alpha-2 code the page is likely to meet.
    pub fn country(self, code: &str) -> Option<&'static str> {
        lookup(COUNTRIES, self, &code.to_ascii_uppercase())
    }

    /// A UN/CEFACT unit code (`GRM`, `MLT`, ...) as a symbol or word.
    pub fn unit(self, code: &str) -> Option<&'static str> {
        lookup(UNITS, self, &code.to_ascii_uppercase())
    }
}

/// Chooses the page language: `?lang=` wins, then the best of `vi`/`en` in `Accept-Language`
/// by q-value (the earlier on a tie), then Vietnamese.
pub fn negotiate(query_lang: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = query_lang.and_then(Lang::from_tag) {
        return lang;
    }
    let mut best: Option<(Lang, f32)> = None;
    for item in accept_language.unwrap_or_default().split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::from_tag) else {
            continue;
        };
        let q = parts
            .find_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case("q").then(|| v.trim())
            })
            .map_or(Some(1.0), |v| {
                v.parse::<f32>().ok().filter(|q| q.is_finite())
            });
        // A malformed q-value makes the item unusable, and q=0 means "not acceptable".
        let Some(q) = q.filter(|&q| q > 0.0) else {
            continue;
        };
        if best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map_or(Lang::Vi, |(lang, _)| lang)
}

fn lookup(
    table: &[(&str, &'static str, &'static str)],
    lang: Lang,
    key: &str,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, vi, en)| lang.pick(vi, en))
}

/// The fixed strings of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Msg {
    /// Heading of the reasons list.
    Why,
    /// Banner heading for a recall.
    RecallHeading,
    /// Banner heading for a safety warning only.
    SafetyHeading,
    /// What to do about a recalled product.
    RecallAdvice,
    /// Label of the lots an alert concerns.
    LotsAffected,
    /// An alert that concerns every lot.
    AllLots,
    /// Asks to compare the lot on the pack when the scan carried none.
    CheckLot,
    /// Label of the organisation that raised an alert.
    RaisedBy,
    /// Label of an alert's reference.
    Reference,
    /// Heading of alerts concerning other lots than the scanned one.
    OtherLots,
    /// Heading of the product section.
    Product,
    /// Label of the brand.
    Brand,
    /// Label of the net content.
    NetContent,
    /// Label of the country of origin.
    Origin,
    /// Label of the GTIN.
    Gtin,
    /// Heading of the maker section.
    Maker,
    /// Label of the maker's country.
    Country,
    /// Heading of the certificates section.
    Certificates,
    /// No certificate on record.
    NoCertificates,
    /// Label of a certificate's issue date.
    Issued,
    /// Label of a certificate's expiry date.
    Expires,
    /// A certificate without an expiry date.
    NoExpiry,
    /// Label of the certification body.
    Cab,
    /// Label of the accreditation body.
    AccreditedBy,
    /// Label of the accreditation number.
    AccreditationNumber,
    /// The accreditation is recognised through ILAC/IAF.
    InternationallyRecognised,
    /// The accreditation body is outside ILAC/IAF.
    NotInternationallyRecognised,
    /// The certificate was issued without accreditation.
    IssuedWithoutAccreditation,
    /// Heading of the scanned-code section.
    ScannedCode,
    /// Label of the code as scanned.
    Code,
    /// Label of the lot.
    Lot,
    /// Label of the serial number.
    Serial,
    /// Label of the serial's state.
    SerialState,
    /// A scanned serial the registry does not know.
    SerialNotFound,
    /// Label of the expiry date.
    Expiry,
    /// Heading of the journey section.
    Journey,
    /// What the journey shows, and who recorded it.
    JourneyNote,
    /// Heading of the passport section.
    Passport,
    /// The passport link's text.
    PassportLink,
    /// Heading of the other links.
    MoreLinks,
    /// Label before the language switch.
    Language,
    /// The name of the page's own language, in itself.
    LanguageName,
    /// The footer's first line.
    Footer,
    /// What the scanned code means when nothing is registered under it.
    UnknownHelp,
    /// What an invalid code means.
    InvalidHelp,
}

impl Msg {
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Self::Why => ("Vì sao có kết quả này", "Why this result"),
            Self::RecallHeading => ("Sản phẩm bị thu hồi", "Product recall"),
            Self::SafetyHeading => ("Cảnh báo an toàn", "Safety warning"),
            Self::RecallAdvice => (
                "Ngừng sử dụng sản phẩm và liên hệ nơi bán hoặc nhà sản xuất.",
                "Stop using the product and contact the seller or the maker.",
            ),
            Self::LotsAffected => ("Lô bị ảnh hưởng", "Lots affected"),
            Self::AllLots => ("Tất cả các lô", "All lots"),
            Self::CheckLot => (
                "Mã bạn quét không có số lô: hãy so với số lô in trên bao bì.",
                "Your scan carries no lot number: compare with the lot printed on the pack.",
            ),
            Self::RaisedBy => ("Ban hành bởi", "Raised by"),
            Self::Reference => ("Số hiệu", "Reference"),
            Self::OtherLots => (
                "Thông báo về các lô khác (không phải lô của bạn)",
                "Notices about other lots (not yours)",
            ),
            Self::Product => ("Sản phẩm", "Product"),
            Self::Brand => ("Thương hiệu", "Brand"),
            Self::NetContent => ("Khối lượng tịnh", "Net content"),
            Self::Origin => ("Xuất xứ", "Country of origin"),
            Self::Gtin => ("Mã GTIN", "GTIN"),
            Self::Maker => ("Nhà sản xuất", "Maker"),
            Self::Country => ("Quốc gia", "Country"),
            Self::Certificates => ("Chứng nhận hợp chuẩn, hợp quy", "Conformity certificates"),
            Self::NoCertificates => (
                "Chưa có giấy chứng nhận nào cho sản phẩm này.",
                "No certificate covers this product.",
            ),
            Self::Issued => ("Ngày cấp", "Issued"),
            Self::Expires => ("Hết hạn", "Expires"),
            Self::NoExpiry => ("Không thời hạn", "No expiry"),
            Self::Cab => ("Tổ chức chứng nhận", "Certification body"),
            Self::AccreditedBy => ("Được công nhận bởi", "Accredited by"),
            Self::AccreditationNumber => ("Số công nhận", "Accreditation no."),
            Self::InternationallyRecognised => (
                "Được thừa nhận quốc tế (ILAC/IAF)",
                "Internationally recognised (ILAC/IAF)",
            ),
            Self::NotInternationallyRecognised => (
                "Tổ chức công nhận chưa tham gia thỏa thuận ILAC/IAF",
                "Accreditation body outside the ILAC/IAF arrangements",
            ),
            Self::IssuedWithoutAccreditation => (
                "Cấp ngoài phạm vi được công nhận",
                "Issued without accreditation",
            ),
            Self::ScannedCode => ("Mã đã quét", "Scanned code"),
            Self::Code => ("Mã", "Code"),
            Self::Lot => ("Số lô", "Lot"),
            Self::Serial => ("Số sê-ri", "Serial number"),
            Self::SerialState => ("Trạng thái sê-ri", "Serial status"),
            Self::SerialNotFound => (
                "Không có trong sổ đăng ký của nhà sản xuất",
                "Not in the maker's register",
            ),
            Self::Expiry => ("Hạn sử dụng", "Expiry date"),
            Self::Journey => ("Hành trình sản phẩm", "Journey"),
            Self::JourneyNote => (
                "Các bước do doanh nghiệp trong chuỗi cung ứng ghi nhận (GS1 EPCIS). Quốc gia được suy ra từ mã địa điểm GS1.",
                "Steps recorded by the businesses in the supply chain (GS1 EPCIS). Countries are inferred from the GS1 location codes.",
            ),
            Self::Passport => ("Hộ chiếu số sản phẩm", "Digital product passport"),
            Self::PassportLink => ("Xem hộ chiếu số (có chữ ký số)", "View the signed passport"),
            Self::MoreLinks => ("Thông tin khác", "More information"),
            Self::Language => ("Ngôn ngữ", "Language"),
            Self::LanguageName => ("Tiếng Việt", "English"),
            Self::Footer => (
                "Kết quả được tính tại thời điểm quét, từ dữ liệu đăng ký của GS1 DPP. Nếu nghi ngờ hàng giả, hãy báo cho cơ quan quản lý thị trường.",
                "Computed when you scanned, from the GS1 DPP registry. If you suspect a counterfeit, report it to the market surveillance authority.",
            ),
            Self::UnknownHelp => (
                "Mã này có cấu trúc GS1 hợp lệ, nhưng doanh nghiệp chưa đăng ký sản phẩm với mã này. Hãy thận trọng và hỏi người bán về nguồn gốc sản phẩm.",
                "This code is well-formed GS1 data, but no company registered a product under it. Be careful and ask the seller where the product comes from.",
            ),
            Self::InvalidHelp => (
                "Mã này không đúng cấu trúc GS1 (ví dụ sai số kiểm tra), nên không thể tra cứu. Hãy quét lại; nếu vẫn lỗi, hãy thận trọng với sản phẩm.",
                "This code does not follow the GS1 rules (for example a wrong check digit), so nothing can be looked up. Scan again; if it still fails, be careful with the product.",
            ),
        }
    }
}

const CERTIFICATE_STATUSES: &[(&str, &str, &str)] = &[
    ("valid", "Còn hiệu lực", "Valid"),
    ("expiring_soon", "Sắp hết hạn", "Expiring soon"),
    ("expired", "Đã hết hạn", "Expired"),
    ("suspended", "Bị đình chỉ", "Suspended"),
    ("withdrawn", "Đã bị thu hồi", "Withdrawn"),
];

const CERTIFICATE_KINDS: &[(&str, &str, &str)] = &[
    ("certificate", "Giấy chứng nhận", "Certificate"),
    ("test_report", "Phiếu kết quả thử nghiệm", "Test report"),
    (
        "inspection_certificate",
        "Chứng thư giám định",
        "Inspection certificate",
    ),
];

const ALERT_KINDS: &[(&str, &str, &str)] = &[
    ("recall", "Thu hồi", "Recall"),
    ("safety_warning", "Cảnh báo an toàn", "Safety warning"),
];

/// The CBV 2.0 business steps of a journey a consumer meets; others are shown as written.
const BIZ_STEPS: &[(&str, &str, &str)] = &[
    ("commissioning", "Sản xuất, cấp mã", "Made and labelled"),
    ("packing", "Đóng gói", "Packed"),
    ("unpacking", "Dỡ kiện", "Unpacked"),
    ("loading", "Xếp hàng lên phương tiện", "Loaded"),
    ("shipping", "Xuất đi", "Shipped"),
    ("departing", "Rời điểm đi", "Departed"),
    ("arriving", "Đến nơi", "Arrived"),
    ("receiving", "Nhận hàng", "Received"),
    ("accepting", "Chấp nhận hàng", "Accepted"),
    ("inspecting", "Kiểm tra", "Inspected"),
    ("storing", "Lưu kho", "Stored"),
    ("transforming", "Chế biến", "Processed"),
    ("creating_class_instance", "Sản xuất lô", "Lot produced"),
    ("stocking", "Bày bán", "Put on the shelf"),
    (
        "retail_selling",
        "Bán cho người tiêu dùng",
        "Sold to a consumer",
    ),
    ("dispensing", "Cấp phát cho người dùng", "Dispensed"),
    ("decommissioning", "Ngừng sử dụng mã", "Taken out of use"),
    ("destroying", "Tiêu hủy", "Destroyed"),
    ("holding", "Tạm giữ", "Held"),
];

const SERIAL_STATES: &[(&str, &str, &str)] = &[
    (
        "commissioned",
        "Đã cấp mã, chưa xuất xưởng",
        "Issued, not yet shipped",
    ),
    ("shipped", "Đã xuất xưởng", "Shipped"),
    (
        "sold_dispensed",
        "Đã bán cho người tiêu dùng",
        "Sold to a consumer",
    ),
    ("decommissioned", "Đã ngừng sử dụng", "Taken out of use"),
    ("recalled", "Đã bị thu hồi", "Recalled"),
    ("destroyed", "Đã bị tiêu hủy", "Destroyed"),
];

const COUNTRIES: &[(&str, &str, &str)] = &[
    ("VN", "Việt Nam", "Viet Nam"),
    ("CN", "Trung Quốc", "China"),
    ("TH", "Thái Lan", "Thailand"),
    ("LA", "Lào", "Laos"),
    ("KH", "Campuchia", "Cambodia"),
    ("JP", "Nhật Bản", "Japan"),
    ("KR", "Hàn Quốc", "South Korea"),
    ("US", "Hoa Kỳ", "United States"),
    ("DE", "Đức", "Germany"),
    ("FR", "Pháp", "France"),
];

const UNITS: &[(&str, &str, &str)] = &[
    ("MGM", "mg", "mg"),
    ("GRM", "g", "g"),
    ("KGM", "kg", "kg"),
    ("TNE", "tấn", "t"),
    ("ONZ", "oz", "oz"),
    ("LBR", "lb", "lb"),
    ("MLT", "ml", "ml"),
    ("CLT", "cl", "cl"),
    ("DLT", "dl", "dl"),
    ("LTR", "lít", "l"),
    ("HLT", "hl", "hl"),
    ("CMQ", "cm³", "cm³"),
    ("MTQ", "m³", "m³"),
    ("OZA", "fl oz", "fl oz"),
    ("GLL", "gal", "gal"),
    ("MMT", "mm", "mm"),
    ("CMT", "cm", "cm"),
    ("MTR", "m", "m"),
    ("CMK", "cm²", "cm²"),
    ("MTK", "m²", "m²"),
    ("H87", "cái", "pieces"),
    ("C62", "cái", "units"),
    ("EA", "cái", "each"),
    ("PR", "đôi", "pairs"),
    ("SET", "bộ", "sets"),
    ("DZN", "tá", "dozen"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        use Lang::{En, Vi};
        let check = |query: Option<&str>, header: Option<&str>, want: Lang| {
            assert_eq!(negotiate(query, header), want, "{query:?} {header:?}");
        };
        check(None, None, Vi);
        check(None, Some(""), Vi);
        check(None, Some("fr-FR, de;q=0.9, *;q=0.5"), Vi);
        check(None, Some("en"), En);
        check(None, Some("en-US,en;q=0.9"), En);
        check(None, Some("EN-gb"), En);
        check(None, Some("vi-VN"), Vi);
        check(None, Some("vi_VN"), Vi);
        check(None, Some("fr;q=1, en;q=0.4, vi;q=0.8"), Vi);
        check(None, Some("vi;q=0.3, en-US;q=0.7"), En);
        check(None, Some("fr, en;q=0.5"), En);
        check(None, Some("en;q=0, vi;q=0.1"), Vi);
        check(None, Some("en;q=0"), Vi);
        check(None, Some("en;q=abc, vi;q=0.2"), Vi);
        check(None, Some("en ; q = 0.9 , vi ; q = 0.8"), En);
        // Equal weight: the earlier one.
        check(None, Some("en, vi"), En);
        check(None, Some("vi, en"), Vi);
        // `?lang=` wins over the header; an unknown value leaves the header in charge.
        check(Some("en"), Some("vi-VN"), En);
        check(Some("vi"), Some("en-US"), Vi);
        check(Some("EN"), None, En);
        check(Some("fr"), Some("en"), En);
        check(Some(""), None, Vi);
        assert_eq!(Vi.code(), "vi");
        assert_eq!(En.code(), "en");
        assert_eq!(Vi.other(), En);
    }

    #[test]
    fn every_verdict_and_status_has_both_languages() {
        use Verdict::*;
        for v in [Verified, Warning, NonCompliant, Suspect, Unknown, Invalid] {
            assert_ne!(Lang::Vi.verdict(v), Lang::En.verdict(v));
            assert!(!Lang::Vi.verdict_explanation(v).is_empty());
        }
        assert_eq!(Lang::Vi.verdict(Verified), "Đã xác thực");
        assert_eq!(Lang::Vi.verdict(NonCompliant), "Không phù hợp");
        for s in [
            "valid",
            "expiring_soon",
            "expired",
            "suspended",
            "withdrawn",
        ] {
            assert!(Lang::Vi.certificate_status(s).is_some(), "{s}");
        }
        for s in domain::serials::SerialState::ALL {
            assert!(Lang::En.serial_state(s.as_str()).is_some(), "{s:?}");
        }
        for (code, _) in domain::product_fields::UNITS {
            assert!(Lang::Vi.unit(code).is_some(), "{code}");
        }
        assert_eq!(Lang::En.country("vn"), Some("Viet Nam"));
    }
}
