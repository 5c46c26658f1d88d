#include "sse_parser.hpp"

namespace parley::server {

namespace {

std::string too_large_message(std::size_t limit) {
  std::string s = "event larger than ";
  s += std::to_string(limit);
  s += " bytes";
  return s;
}

}  // namespace

SseParser::SseParser(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

bool SseParser::mid_event() const {
  return !line_.empty() || has_data_ || !event_type_.empty();
}

bool SseParser::over_limit(std::size_t extra) const {
  return line_.size() + data_.size() + extra > max_event_bytes_;
}

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  feed(bytes, out);
  return out;
}

bool SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (failed()) return false;
  if (at_start_) {
    // Skip a byte order mark, which may itself arrive split across slices.
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    while (!bytes.empty() && line_.size() < kBom.size() &&
           bytes.front() == kBom[line_.size()]) {
      line_.push_back(bytes.front());
      bytes.remove_prefix(1);
    }
    if (line_.size() == kBom.size()) {
      line_.clear();
      at_start_ = false;
    } else if (!bytes.empty()) {
      at_start_ = false;  // not a BOM: what was held back is ordinary line content
    } else {
      return true;  // still could be a BOM
    }
  }
  while (!bytes.empty()) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (bytes.front() == '\n') {
        bytes.remove_prefix(1);
        continue;
      }
    }
    auto end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      if (over_limit(bytes.size())) {
        error_ = too_large_message(max_event_bytes_);
        return false;
      }
      line_.append(bytes);
      return true;
    }
    if (over_limit(end)) {
      error_ = too_large_message(max_event_bytes_);
      return false;
    }
    std::string_view line;
    if (line_.empty()) {
      line = bytes.substr(0, end);
    } else {
      line_.append(bytes.substr(0, end));
      line = line_;
    }
    if (bytes[end] == '\r') skip_lf_ = true;
    bytes.remove_prefix(end + 1);
    if (skip_lf_ && !bytes.empty()) {
      skip_lf_ = false;
      if (bytes.front() == '\n') bytes.remove_prefix(1);
    }
    process_line(line, out);
    line_.clear();
    if (failed()) return false;
  }
  return true;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    if (has_data_) {
      SseEvent ev;
      ev.event = event_type_.empty() ? std::string("message") : event_type_;
      ev.data = std::move(data_);
      ev.data.pop_back();  // the '\n' after the last data line
      ev.id = last_id_;
      out.push_back(std::move(ev));
    }
    data_.clear();
    event_type_.clear();
    has_data_ = false;
    return;
  }
  if (line.front() == ':') return;  // comment, e.g. a keep-alive
  std::string_view field = line;
  std::string_view value;
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_event_bytes_) {
      error_ = too_large_message(max_event_bytes_);
      return;
    }
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    event_type_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  }
  // "retry" and unknown fields are ignored.
}

}  // namespace parley::server
