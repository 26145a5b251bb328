//! The sentence for each reason code that `verdict::rules` emits, in both languages,
//! and the test that keeps the table and the rules in step.

/// Every reason code `verdict::rules` emits, with its Vietnamese and English sentence.
pub(super) const REASONS: &[(&str, &str, &str)] = &[
    (
        "invalid_code",
        "Mã quét được không phải dữ liệu GS1 hợp lệ.",
        "The scanned code is not valid GS1 data.",
    ),
    (
        "key_issued",
        "Mã này được cấp cho một doanh nghiệp có mã doanh nghiệp GS1 được cấp phép tại đây.",
        "This key was issued to a company holding a GS1 company prefix licensed here.",
    ),
    (
        "unregistered",
        "Không có sản phẩm nào được đăng ký với mã này.",
        "No product is registered under this code.",
    ),
    (
        "product_discontinued",
        "Sản phẩm đã ngừng sản xuất.",
        "The product is discontinued.",
    ),
    (
        "expiry_passed",
        "Sản phẩm đã quá hạn sử dụng ghi trong mã.",
        "The expiry date in the code has passed.",
    ),
    (
        "scan_pattern",
        "Số sê-ri này được quét ở nhiều nơi khác nhau trong thời gian ngắn: mã có thể đã bị sao chép.",
        "This serial number was scanned in many different places in a short time: the code may have been copied.",
    ),
    (
        "inspection_non_compliant",
        "Lần kiểm tra gần nhất của cơ quan chức năng kết luận sản phẩm không phù hợp.",
        "The latest official inspection found the product non-compliant.",
    ),
    (
        "inspection_counterfeit",
        "Lần kiểm tra gần nhất của cơ quan chức năng nghi ngờ đây là hàng giả.",
        "The latest official inspection suspected a counterfeit.",
    ),
    (
        "inspection_compliant",
        "Lần kiểm tra gần nhất của cơ quan chức năng kết luận sản phẩm phù hợp.",
        "The latest official inspection found the product compliant.",
    ),
    (
        "no_certificate",
        "Chưa có giấy chứng nhận hợp chuẩn, hợp quy nào cho sản phẩm này.",
        "No conformity certificate covers this product.",
    ),
    (
        "certificate_withdrawn",
        "Giấy chứng nhận đã bị thu hồi.",
        "A certificate was withdrawn.",
    ),
    (
        "certificate_suspended",
        "Giấy chứng nhận đang bị đình chỉ.",
        "A certificate is suspended.",
    ),
    (
        "certificate_expired",
        "Giấy chứng nhận đã hết hạn.",
        "A certificate has expired.",
    ),
    (
        "certificate_expiring",
        "Giấy chứng nhận sắp hết hạn (trong vòng 30 ngày).",
        "A certificate expires within 30 days.",
    ),
    (
        "certificate_valid",
        "Giấy chứng nhận còn hiệu lực.",
        "A certificate is valid.",
    ),
    (
        "internationally_recognised",
        "Tổ chức chứng nhận được công nhận, và việc công nhận được thừa nhận quốc tế (ILAC/IAF).",
        "The certification body is accredited, and its accreditation is recognised internationally (ILAC/IAF).",
    ),
    (
        "accredited",
        "Tổ chức chứng nhận được công nhận, bởi một tổ chức công nhận chưa tham gia thỏa thuận ILAC/IAF.",
        "The certification body is accredited, by an accreditation body outside the ILAC/IAF arrangements.",
    ),
    (
        "certificate_unaccredited",
        "Giấy chứng nhận được cấp ngoài phạm vi được công nhận.",
        "A certificate was issued without accreditation.",
    ),
    (
        "cab_not_accredited",
        "Tổ chức cấp giấy chứng nhận không được công nhận cho lĩnh vực này vào ngày cấp.",
        "The issuing body was not accredited for this scope on the issue date.",
    ),
    (
        "offline_status",
        "Kết quả ngoại tuyến: trạng thái theo gói dữ liệu đã tải về, không phải trực tiếp từ hệ thống.",
        "Offline result: the status comes from a downloaded status pack, not from the live registry.",
    ),
    (
        "offline_pack_stale",
        "Gói dữ liệu ngoại tuyến đã cũ: hãy kết nối mạng để cập nhật.",
        "The offline status pack is out of date: connect to the network to refresh it.",
    ),
    (
        "recall",
        "Sản phẩm (hoặc lô hàng này) đang bị thu hồi.",
        "This product (or this lot) is recalled.",
    ),
    (
        "recall_other_lots",
        "Một số lô của sản phẩm này đang bị thu hồi: hãy kiểm tra số lô trên bao bì.",
        "Some lots of this product are recalled: check the lot number on the pack.",
    ),
    (
        "recall_upstream",
        "Sản phẩm này được làm từ một lô nguyên liệu đang bị thu hồi.",
        "This product was made from a lot that is recalled.",
    ),
    (
        "safety_warning",
        "Có cảnh báo an toàn đối với sản phẩm này.",
        "There is a safety warning about this product.",
    ),
    (
        "serial_unknown",
        "Số sê-ri này chưa từng được nhà sản xuất đăng ký.",
        "This serial number was never issued by the maker.",
    ),
    (
        "serial_decommissioned",
        "Số sê-ri này đã bị ngừng sử dụng.",
        "This serial number was taken out of use.",
    ),
    (
        "serial_destroyed",
        "Số sê-ri này thuộc về một sản phẩm đã bị tiêu hủy.",
        "This serial number belongs to an item that was destroyed.",
    ),
    (
        "serial_recalled",
        "Sản phẩm mang số sê-ri này đang bị thu hồi.",
        "The item with this serial number is recalled.",
    ),
    (
        "serial_sold",
        "Sản phẩm mang số sê-ri này đã được bán cho người tiêu dùng: nếu bạn không mua nó, mã có thể bị sao chép.",
        "The item with this serial number was already sold: if you did not buy it, its code may be copied.",
    ),
    (
        "journey_elsewhere",
        "Sản phẩm được quét ở một quốc gia mà hành trình được ghi nhận của nó chưa từng đi qua.",
        "It was scanned in a country its recorded journey never reached.",
    ),
];

/// Every reason code the page translates (the codes of `verdict::rules`).
pub const REASON_CODES: &[&str] = &CODES;

const CODES: [&str; REASONS.len()] = {
    let mut codes = [""; REASONS.len()];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = REASONS[i].0;
        i += 1;
    }
    codes
};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::web::Lang;

    #[test]
    fn every_reason_code_of_the_rules_is_translated() {
        // verdict's own test keeps its list equal to the codes its rules write.
        let emitted: BTreeSet<&str> = verdict::REASON_CODES.iter().copied().collect();
        for code in &emitted {
            for lang in [Lang::Vi, Lang::En] {
                assert!(
                    lang.reason(code).is_some_and(|t| !t.is_empty()),
                    "{code} has no {} text",
                    lang.code()
                );
            }
            assert_ne!(Lang::Vi.reason(code), Lang::En.reason(code), "{code}");
        }
        // No stale translations either: the table is exactly what the rules emit.
        let known: BTreeSet<&str> = REASON_CODES.iter().copied().collect();
        assert_eq!(known, emitted);
        assert_eq!(REASON_CODES.len(), REASONS.len());
    }
}
