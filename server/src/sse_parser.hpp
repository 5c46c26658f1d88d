// Incremental parser for server-sent events (text/event-stream), as used by streaming
// model providers. Bytes may arrive in slices of any size, split anywhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

struct SseEvent {
  std::string event{};  // the "event:" field, "message" when the event named none
  std::string data{};   // "data:" lines joined with '\n'
  std::string id{};     // the last "id:" seen on the stream, if any
};

class SseParser {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = 1024 * 1024;

  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  // Parses the next slice of the stream and appends every event it completes to `out`.
  // Returns false once the stream is invalid (an event or line grew beyond the limit);
  // after that, further input is ignored and error() says what went wrong.
  bool feed(std::string_view bytes, std::vector<SseEvent>& out);

  // Convenience form of feed() returning the completed events.
  std::vector<SseEvent> feed(std::string_view bytes);

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  // True when some of an event has been read but not yet dispatched by a blank line
  // (a stream that ends here ends mid-event).
  bool mid_event() const;

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  bool over_limit(std::size_t extra) const;

  std::size_t max_event_bytes_;
  std::string line_{};        // the current, unfinished line
  std::string data_{};        // data of the event being built, each line followed by '\n'
  std::string event_type_{};  // event type of the event being built
  std::string last_id_{};
  bool has_data_ = false;
  bool skip_lf_ = false;      // the previous slice ended in '\r'; a leading '\n' belongs to it
  bool at_start_ = true;      // a UTF-8 byte order mark may still be skipped
  std::string error_{};
};

}  // namespace parley::server
