#include "transcript_layout.hpp"

#include <utility>

namespace parley::web {
namespace {

std::size_t utf8_char_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

std::vector<TranscriptLayout::Line> TranscriptLayout::wrap(const std::string& text,
                                                           ImFont* font, float wrap_width) {
  std::vector<Line> lines;
  const char* const base = text.data();
  const char* const text_end = base + text.size();
  const char* para = base;
  // ImGui's word wrapping ignores '\n', so each paragraph is wrapped on its own.
  while (true) {
    const char* para_end = para;
    while (para_end < text_end && *para_end != '\n') ++para_end;
    const char* s = para;
    if (s == para_end) lines.push_back({static_cast<std::uint32_t>(s - base),
                                        static_cast<std::uint32_t>(s - base)});
    while (s < para_end) {
      const char* eol = font->CalcWordWrapPositionA(1.0f, s, para_end, wrap_width);
      if (eol <= s) eol = s + utf8_char_length(static_cast<unsigned char>(*s));
      if (eol > para_end) eol = para_end;
      lines.push_back({static_cast<std::uint32_t>(s - base), static_cast<std::uint32_t>(eol - base)});
      s = eol;
      while (s < para_end && (*s == ' ' || *s == '\t')) ++s;
    }
    if (para_end >= text_end) break;
    para = para_end + 1;
  }
  if (lines.empty()) lines.push_back({0, 0});
  return lines;
}

bool TranscriptLayout::update(const client::AppModel& model, ImFont* font, float wrap_width) {
  if (wrap_width < 1.0f) wrap_width = 1.0f;
  const bool width_changed = wrap_width != wrap_width_ || font != font_;
  if (!width_changed && model.transcript_revision() == revision_) return false;
  revision_ = model.transcript_revision();
  wrap_width_ = wrap_width;
  font_ = font;

  const std::size_t n = model.entry_count();
  std::vector<Cached> next;
  next.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    client::ViewEntry view = model.entry(i);
    // Rewrapping is the costly part: reuse lines when the same text sat at this index.
    if (!width_changed && i < entries_.size() && entries_[i].view.text == view.text) {
      next.push_back({std::move(view), std::move(entries_[i].lines)});
    } else {
      std::vector<Line> lines = wrap(view.text, font, wrap_width);
      next.push_back({std::move(view), std::move(lines)});
    }
  }
  entries_ = std::move(next);

  rows_.clear();
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    rows_.push_back({i, TranscriptRow::Kind::header, false, false, 0, 0});
    const auto& lines = entries_[i].lines;
    for (std::size_t l = 0; l < lines.size(); ++l) {
      rows_.push_back({i, TranscriptRow::Kind::line, l == 0, l + 1 == lines.size(),
                       lines[l].begin, lines[l].end});
    }
    rows_.push_back({i, TranscriptRow::Kind::gap, false, false, 0, 0});
  }
  return true;
}

}  // namespace parley::web
