package vn.landgis.generator;

import java.util.SplittableRandom;

/** Vietnamese names for streets, hamlets and (synthetic) land users. */
final class Names {
    static final String[] STREETS = {
        "Hùng Vương", "Trần Hưng Đạo", "Lê Lợi", "Nguyễn Huệ", "Nguyễn Trãi", "Lý Thường Kiệt", "Quang Trung",
        "Cách Mạng Tháng Tám", "30 Tháng 4", "Nguyễn Đình Chiểu", "Trương Định", "Nguyễn Thái Học", "Hai Bà Trưng",
        "Phan Đình Phùng", "Võ Văn Tần", "Nguyễn Trung Trực", "Châu Văn Giác", "Huỳnh Văn Nhứt", "Thủ Khoa Huân",
        "Bùi Chí Nhuận", "Lê Văn Tưởng", "Nguyễn Cửu Vân", "Trần Văn Ngàn", "Phan Văn Lại", "Nguyễn Văn Tạo",
        "Võ Công Tồn", "Đỗ Trình Thoại", "Nguyễn Minh Đường", "Lưu Văn Tế", "Sương Nguyệt Ánh",
    };
    static final String[] HAMLETS = {
        "Bình Trị", "Bình Cư", "Bình Đông", "Bình Nam", "Nhơn Hòa", "Vĩnh Bình", "Tân Hòa", "Xuân Hòa", "Phú Hòa",
        "Lợi An", "Thạnh Hưng", "An Thạnh", "Hòa Ngãi", "Cầu Xéo", "Trung Chánh", "Vàm Cỏ",
    };
    static final String[] SURNAMES = {"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lâm", "Đinh"};
    static final String[] MIDDLE_MALE = {"Văn", "Hữu", "Minh", "Thanh", "Quốc", "Công", "Đức", "Hoàng"};
    static final String[] MIDDLE_FEMALE = {"Thị", "Ngọc", "Thị Kim", "Thị Thu", "Bích", "Thị Mỹ"};
    static final String[] GIVEN_MALE = {"Hùng", "Dũng", "Tuấn", "Phúc", "Lộc", "Thành", "Hiếu", "Tâm", "Nghĩa", "Sơn", "Khoa", "Quang", "Tài", "Bảy", "Tư", "Út"};
    static final String[] GIVEN_FEMALE = {"Lan", "Hồng", "Hạnh", "Hương", "Nga", "Thủy", "Trang", "Mai", "Xuân", "Yến", "Phượng", "Diệu", "Ánh", "Loan"};
    static final String[] CANALS = {"Kênh Bảo Định", "Kênh Cầu Xéo", "Kênh Ông Ngữ", "Rạch Chanh", "Kênh Rạch Gốc", "Kênh Xáng", "Rạch Cái Cối", "Kênh Thủ Thừa"};
    static final String[] RIVERS = {"Sông Vàm Cỏ Tây", "Sông Tiền", "Sông Bảo Định"};

    private Names() {
    }

    static String person(SplittableRandom rng) {
        boolean male = rng.nextBoolean();
        return pick(rng, SURNAMES) + " " + (male ? pick(rng, MIDDLE_MALE) : pick(rng, MIDDLE_FEMALE)) + " "
                + (male ? pick(rng, GIVEN_MALE) : pick(rng, GIVEN_FEMALE));
    }

    static String pick(SplittableRandom rng, String[] names) {
        return names[rng.nextInt(names.length)];
    }
}
