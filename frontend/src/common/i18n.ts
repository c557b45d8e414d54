// Vietnamese first, English on request; the choice is kept in localStorage. Static text carries data-i18n
// (textContent) or data-i18n-attr="attr:key,attr:key"; dynamic text calls t().
export type Lang = 'vi' | 'en';

const dict: Record<string, [string, string]> = {
  'app.title': ['Bản đồ đất đai', 'Land map'],
  'lang.switch': ['English', 'Tiếng Việt'],
  'lang.switch.label': ['Switch to English', 'Chuyển sang tiếng Việt'],
  'search.label': ['Tìm thửa đất, địa chỉ, xã phường', 'Find a parcel, address, commune'],
  'search.placeholder': ['Ví dụ: tờ 12 thửa 345 Phường 1', 'e.g. tờ 12 thửa 345 Phường 1'],
  'search.submit': ['Tìm', 'Search'],
  'search.none': ['Không tìm thấy kết quả.', 'Nothing found.'],
  'search.results': ['Kết quả tìm kiếm', 'Search results'],
  'search.parcel': ['Tờ {0} thửa {1}, {2}', 'Sheet {0} parcel {1}, {2}'],
  'search.commune': ['{0} ({1})', '{0} ({1})'],
  'search.unmapped': ['chưa có bản đồ', 'no map yet'],
  'search.era.legacy': ['trước 1/7/2025', 'before 1 July 2025'],
  'search.era.2025': ['từ 1/7/2025', 'since 1 July 2025'],
  'loading': ['Đang tải…', 'Loading…'],
  'error': ['Lỗi: {0}', 'Error: {0}'],
  'error.network': ['Không kết nối được máy chủ', 'Cannot reach the server'],
  'error.status.500': ['Lỗi máy chủ, xin thử lại sau', 'Server error, please try again later'],
  'error.status.502': ['Máy chủ tạm thời không trả lời, xin thử lại sau', 'The server is not answering, please try again later'],
  'error.status.503': ['Máy chủ đang bận, xin thử lại sau ít phút', 'The server is busy, please try again in a few minutes'],
  'error.status.504': ['Máy chủ trả lời quá lâu, xin thử lại sau', 'The server took too long, please try again later'],
  'error.status.401': ['Cần đăng nhập', 'Please sign in'],
  'error.status.403': ['Tài khoản này không được phép', 'This account may not do that'],
  'error.status.404': ['Không tìm thấy', 'Not found'],
  'layers': ['Lớp bản đồ', 'Map layers'],
  'layers.base': ['Nền bản đồ', 'Base map'],
  'layers.base.offline': ['Ranh giới hành chính (ngoại tuyến)', 'Administrative boundaries (offline)'],
  'layers.base.online': ['Bản đồ nền trực tuyến', 'Online base map'],
  'layers.opacity': ['Độ đậm: {0}', 'Opacity: {0}'],
  'layers.legend': ['Chú giải', 'Legend'],
  'layers.legend.error': ['Không tải được chú giải', 'Legend could not be loaded'],
  'layer.parcels': ['Thửa đất', 'Parcels'],
  'layer.communes': ['Xã, phường (trước 1/7/2025)', 'Communes (before 1 July 2025)'],
  'layer.communes_2025': ['Xã, phường (từ 1/7/2025)', 'Communes (from 1 July 2025)'],
  'layer.map_sheets': ['Tờ bản đồ địa chính', 'Cadastral map sheets'],
  'layer.planning_zones': ['Khu quy hoạch', 'Planning zones'],
  'layer.field_reports': ['Phản ánh hiện trường', 'Field reports'],
  'coords.wgs84': ['WGS 84', 'WGS 84'],
  'coords.vn2000': ['VN-2000 TM-3 105°45′', 'VN-2000 TM-3 105°45′'],
  'panel.close': ['Đóng', 'Close'],
  'parcel.title': ['Thửa đất số {0}, tờ bản đồ số {1}', 'Parcel {0}, map sheet {1}'],
  'parcel.sheet': ['Tờ bản đồ số', 'Map sheet'],
  'parcel.number': ['Thửa đất số', 'Parcel number'],
  'parcel.lookupFailed': ['Không tra cứu được thửa đất', 'The parcel look-up failed'],
  'parcel.commune': ['Xã, phường (cũ)', 'Commune (former)'],
  'parcel.newCommune': ['Xã, phường (từ 1/7/2025)', 'Commune (from 1 July 2025)'],
  'parcel.landUse': ['Mục đích sử dụng', 'Land use'],
  'parcel.legalArea': ['Diện tích pháp lý', 'Legal area'],
  'parcel.legalArea.none': ['chưa xác định (chưa có trên giấy chứng nhận)', 'not set yet (no certificate gives it)'],
  'parcel.geomArea': ['Diện tích hình thể', 'Mapped area'],
  'parcel.address': ['Địa chỉ', 'Address'],
  'parcel.validFrom': ['Hiệu lực từ', 'Valid from'],
  'parcel.ownerFromMap': ['theo bản đồ giao nộp, chưa đối chiếu GCN', 'as the delivered map names them, not checked against a certificate'],
  'parcel.owners': ['Người sử dụng đất', 'Right holders'],
  'parcel.distance': ['Cách điểm chọn {0} m', '{0} m from the clicked point'],
  'parcel.none': ['Không có thửa đất tại điểm này.', 'No parcel at this point.'],
  'planning': ['Thông tin quy hoạch', 'Planning information'],
  'planning.none': ['Thửa đất không nằm trong quy hoạch đang hiệu lực.', 'The parcel is in no plan in force.'],
  'planning.unavailable': ['Chưa có dịch vụ tra cứu quy hoạch.', 'The planning look-up is not available yet.'],
  'planning.zone': ['Ký hiệu khu', 'Zone'],
  'planning.landUse': ['Đất quy hoạch', 'Planned use'],
  'planning.area': ['Diện tích (m²)', 'Area (m²)'],
  'planning.share': ['Tỷ lệ', 'Share'],
  'planning.lines': ['Chỉ giới', 'Lines'],
  'planning.decision': ['Quyết định {0} ngày {1}, {2}', 'Decision {0} of {1}, {2}'],
  'planning.pdf': ['Tải phiếu thông tin quy hoạch (PDF)', 'Download the planning information sheet (PDF)'],
  'planning.xlsx': ['Tải bảng tính (XLSX)', 'Download the spreadsheet (XLSX)'],
  'planning.chart': ['Tỷ lệ diện tích theo khu quy hoạch', 'Area share by planning zone'],
  'planning.uncovered': ['Ngoài quy hoạch', 'Outside the plan'],
  'planning.matches': ['Phù hợp hiện trạng', 'Matches current use'],
  'history': ['Lịch sử biến động (cán bộ)', 'History (officers)'],
  'history.login': ['Đăng nhập để xem lịch sử', 'Sign in to see the history'],
  'history.version': ['Phiên bản {0}: thửa {1} tờ {2}, {3}, {4} m²', 'Version {0}: parcel {1} sheet {2}, {3}, {4} m²'],
  'history.change': ['{0} lúc {1} bởi {2}{3}', '{0} at {1} by {2}{3}'],
  'change.kind.split': ['tách thửa', 'split'],
  'change.kind.merge': ['hợp thửa', 'merge'],
  'change.kind.boundary': ['sửa ranh giới', 'boundary'],
  'change.kind.attributes': ['sửa thuộc tính', 'attributes'],
  'change.kind.undo': ['hoàn tác', 'undo'],
  'change.kind.import': ['nhập dữ liệu', 'import'],
  'change.kind.demo': ['nạp dữ liệu mẫu', 'demo data'],
  'history.forbidden': ['Tài khoản không có quyền xem lịch sử.', 'This account may not see the history.'],
  'login.user': ['Tên đăng nhập', 'User name'],
  'login.password': ['Mật khẩu', 'Password'],
  'login.submit': ['Đăng nhập', 'Sign in'],
  'login.logout': ['Đăng xuất ({0})', 'Sign out ({0})'],
  'login.failed': ['Sai tên đăng nhập hoặc mật khẩu.', 'Wrong user name or password.'],
  'mode.planning': ['Xem quy hoạch', 'Planning view'],
  'mode.planning.title': ['Quy hoạch cho nhà đầu tư', 'Planning for investors'],
  'plan.choose': ['Chọn quy hoạch', 'Choose a plan'],
  'plan.none': ['Chưa có quy hoạch trong vùng đang xem.', 'No plan in the area on screen.'],
  'plan.opacity': ['Độ đậm lớp quy hoạch', 'Plan overlay opacity'],
  'plan.swipe': ['So sánh trượt hiện trạng / quy hoạch', 'Swipe: current use / plan'],
  'plan.swipe.position': ['Vị trí đường trượt', 'Swipe position'],
  'plan.clickZone': ['Bấm vào một khu để xem chỉ tiêu.', 'Click a zone for its indicators.'],
  'plan.draw': ['Vẽ vùng để tra quy hoạch', 'Draw an area to look up its planning'],
  'plan.draw.hint': ['Bấm để đặt các đỉnh, bấm đúp để kết thúc; Esc để thôi.', 'Click to place the corners, double-click to finish; Esc to stop.'],
  'area.title': ['Quy hoạch của vùng đã vẽ', 'Planning of the drawn area'],
  'area.size': ['Diện tích (VN-2000)', 'Area (VN-2000)'],
  'zone.title': ['Khu {0}', 'Zone {0}'],
  'reportPanel.title': ['Phản ánh số {0}', 'Report {0}'],
  'reportPanel.category': ['Lĩnh vực', 'Category'],
  'reportPanel.status': ['Tình trạng', 'Status'],
  'reportPanel.reported': ['Gửi lúc', 'Reported'],
  'reportPanel.description': ['Nội dung', 'Description'],
  'reportPanel.notes': ['Kết quả xử lý', 'Outcome'],
  'zone.plan': ['Quy hoạch', 'Plan'],
  'zone.decision': ['Quyết định', 'Decision'],
  'zone.landUse': ['Đất quy hoạch', 'Planned use'],
  'zone.density': ['Mật độ xây dựng (%)', 'Building density (%)'],
  'zone.height': ['Chiều cao tối đa (m)', 'Height limit (m)'],
  'zone.floors': ['Số tầng tối đa', 'Maximum floors'],
  'zone.far': ['Hệ số sử dụng đất', 'Floor area ratio'],
  'report.link': ['Phản ánh', 'Report a problem'],
  'report.title': ['Phản ánh hiện trường', 'Report a problem'],
  'report.locate': ['Vị trí của tôi', 'Locate me'],
  'report.locating': ['Đang xác định vị trí…', 'Finding your position…'],
  'report.accuracy': ['Độ chính xác ±{0} m', 'Accuracy ±{0} m'],
  'report.locateFailed': ['Không xác định được vị trí: {0}. Hãy chạm vào bản đồ để đặt ghim.', 'No position: {0}. Tap the map to drop a pin.'],
  'report.pinCentre': ['Đặt ghim ở giữa bản đồ', 'Drop the pin at the map centre'],
  'report.pinHint': ['Chạm vào bản đồ để đặt ghim tại nơi cần phản ánh.', 'Tap the map to drop a pin where the problem is.'],
  'report.pin': ['Ghim: {0}, {1}', 'Pin: {0}, {1}'],
  'report.noPin': ['Chưa chọn vị trí.', 'No location chosen yet.'],
  'report.category': ['Lĩnh vực', 'Category'],
  'report.categoryChoose': ['— Chọn lĩnh vực —', '— Choose a category —'],
  'report.categoriesFailed': ['Không tải được danh mục: {0}', 'Categories could not be loaded: {0}'],
  'report.description': ['Nội dung phản ánh', 'Description'],
  'report.descriptionHint': ['Nội dung được công khai trên bản đồ; số điện thoại, email ghi trong đó sẽ được ẩn. Ghi liên hệ ở mục bên dưới.',
    'The description is published on the map; phone numbers and e-mail addresses in it are hidden. Put your contacts below.'],
  'report.photo': ['Ảnh (không bắt buộc)', 'Photo (optional)'],
  'report.address': ['Địa chỉ, mô tả nơi xảy ra (không bắt buộc)', 'Address or landmark (optional)'],
  'report.contact': ['Thông tin liên hệ (không công khai)', 'Contact (never published)'],
  'report.firstName': ['Tên', 'First name'],
  'report.lastName': ['Họ', 'Last name'],
  'report.email': ['Thư điện tử', 'E-mail'],
  'report.phone': ['Số điện thoại', 'Phone'],
  'report.submit': ['Gửi phản ánh', 'Send the report'],
  'report.sending': ['Đang gửi…', 'Sending…'],
  'report.needPin': ['Hãy chọn vị trí trên bản đồ.', 'Choose a location on the map.'],
  'report.needCategory': ['Hãy chọn lĩnh vực.', 'Choose a category.'],
  'report.needDescription': ['Hãy nhập nội dung phản ánh.', 'Describe the problem.'],
  'report.sent': ['Đã tiếp nhận phản ánh số {0}.', 'Report {0} received.'],
  'report.ticket': ['Phản ánh số {0}', 'Report {0}'],
  'report.status': ['Trạng thái: {0}', 'Status: {0}'],
  'report.statusLink': ['Theo dõi phản ánh', 'Follow this report'],
  'report.another': ['Gửi phản ánh khác', 'Send another report'],
  'status.open': ['Mới tiếp nhận', 'Open'],
  'status.acknowledged': ['Đã tiếp nhận xử lý', 'Acknowledged'],
  'status.in_progress': ['Đang xử lý', 'In progress'],
  'status.closed': ['Đã xử lý xong', 'Closed'],
  'map.label': ['Bản đồ', 'Map'],
  'map.tilesFailed': ['Không tải được {0} ô bản đồ', '{0} map tiles could not be loaded'],
  'map.zoomIn': ['Phóng to', 'Zoom in'],
  'map.zoomOut': ['Thu nhỏ', 'Zoom out'],
  'map.back': ['Về bản đồ', 'Back to the map'],
  'nav.imports': ['Nhập dữ liệu', 'Imports'],
  'nav.editor': ['Biên tập', 'Editor'],
};

/** A page's own messages (the editor's), added to the shared ones. */
export function define(messages: Record<string, [string, string]>): void {
  Object.assign(dict, messages);
}

let current: Lang = (localStorage.getItem('landgis.lang') as Lang) === 'en' ? 'en' : 'vi';
const listeners: (() => void)[] = [];

export function lang(): Lang {
  return current;
}

export function t(key: string, ...args: (string | number)[]): string {
  const entry = dict[key];
  let s = entry ? entry[current === 'vi' ? 0 : 1] : key;
  args.forEach((a, i) => (s = s.replace(`{${i}}`, String(a))));
  return s;
}

/** A register change's kind in words (the kind itself when there is no name for it). */
export function changeKind(kind: string): string {
  const s = t('change.kind.' + kind);
  return s === 'change.kind.' + kind ? kind : s;
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem('landgis.lang', l);
  applyI18n(document);
  listeners.forEach((f) => f());
}

/** Fills the static text of a document or element. */
export function applyI18n(root: ParentNode): void {
  document.documentElement.lang = current;
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n!)));
  root.querySelectorAll<HTMLElement>('[data-i18n-attr]').forEach((el) => {
    for (const pair of el.dataset.i18nAttr!.split(',')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  });
}

/** A language switch button: shows the other language. */
export function bindLangSwitch(button: HTMLButtonElement): void {
  button.addEventListener('click', () => setLang(current === 'vi' ? 'en' : 'vi'));
}

export function fmtNumber(n: number, digits = 1): string {
  return n.toLocaleString(current === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The calendar day in Vietnam (YYYY-MM-DD) of an instant: a UTC timestamp's first ten characters are another day before 07:00. */
export function vnDay(at: string | Date = new Date()): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return isNaN(d.getTime()) ? '' : d.toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** A day (YYYY-MM-DD) as people write it: 07/12/2026 in Vietnamese, 7 Dec 2026 in English. */
export function fmtDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString(current === 'vi' ? 'vi-VN' : 'en-GB',
    { timeZone: 'UTC', day: '2-digit', month: current === 'vi' ? '2-digit' : 'short', year: 'numeric' });
}

/** An instant as people read it in Vietnam: the day first, then the time without seconds (none at midnight). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  const locale = current === 'vi' ? 'vi-VN' : 'en-GB';
  const day = d.toLocaleDateString(locale, { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = d.toLocaleTimeString(locale, { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return time === '00:00' ? day : `${day} ${time}`;
}
