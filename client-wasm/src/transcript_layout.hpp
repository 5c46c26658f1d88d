// The transcript cut into rows of one text line each, so ImGuiListClipper can skip
// everything off screen: a header row (author, time, badge), the wrapped text lines,
// then a gap row. Rows are rebuilt only when the transcript or the width changes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imgui.h"
#include "parley/client_model/app_model.hpp"

namespace parley::web {

struct TranscriptRow {
  enum class Kind : std::uint8_t { header, line, gap };
  std::uint32_t entry = 0;  // index into TranscriptLayout::entry()
  Kind kind = Kind::line;
  bool first_line = false;
  bool last_line = false;
  std::uint32_t begin = 0;  // byte range of the entry's text on this line
  std::uint32_t end = 0;
};

class TranscriptLayout {
 public:
  // Returns true when the rows changed (new entries, new text, new width).
  bool update(const client::AppModel& model, ImFont* font, float wrap_width);

  const std::vector<TranscriptRow>& rows() const { return rows_; }
  const client::ViewEntry& entry(std::uint32_t i) const { return entries_[i].view; }

 private:
  struct Line {
    std::uint32_t begin;
    std::uint32_t end;
  };
  struct Cached {
    client::ViewEntry view;
    std::vector<Line> lines;
  };

  static std::vector<Line> wrap(const std::string& text, ImFont* font, float wrap_width);

  std::vector<Cached> entries_;
  std::vector<TranscriptRow> rows_;
  std::uint64_t revision_ = ~std::uint64_t{0};
  float wrap_width_ = -1.0f;
  ImFont* font_ = nullptr;
};

}  // namespace parley::web
