#include "chat_window.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "imgui_internal.h"  // SetNextWindowScroll
#include "imgui_stdlib.h"

namespace parley::web {
namespace {

using client::Badge;

ImU32 u32(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

const ImVec4 kAuthorColours[] = {
    {0.937f, 0.569f, 0.408f, 1.0f}, {0.369f, 0.816f, 0.765f, 1.0f},
    {0.910f, 0.482f, 0.651f, 1.0f}, {0.604f, 0.812f, 0.384f, 1.0f},
    {0.988f, 0.780f, 0.380f, 1.0f}, {0.498f, 0.749f, 0.988f, 1.0f},
};

// Other people's names get a stable colour each, so a conversation is easy to follow.
ImVec4 author_colour(const client::ViewEntry& v, const Palette& p) {
  if (v.assistant) return p.assistant;
  if (v.own) return p.accent;
  std::uint32_t h = 2166136261u;
  for (unsigned char c : v.author) h = (h ^ c) * 16777619u;
  return kAuthorColours[h % (sizeof kAuthorColours / sizeof kAuthorColours[0])];
}

ImVec4 badge_colour(Badge b, const Palette& p) {
  switch (b) {
    case Badge::failed: return p.error;
    case Badge::interrupted:
    case Badge::stopped:
    case Badge::incomplete: return p.warn;
    case Badge::streaming: return p.assistant;
    case Badge::sent: return p.text_dim;
    case Badge::read: return p.ok;
    case Badge::sending:
    case Badge::none: break;
  }
  return p.text_dim;
}

ImVec4 banner_colour(client::ConnectionState s, const Palette& p) {
  switch (s) {
    case client::ConnectionState::connected: return p.ok;
    case client::ConnectionState::connecting:
    case client::ConnectionState::reconnecting: return p.warn;
    case client::ConnectionState::offline: return p.error;
    case client::ConnectionState::disconnected: break;
  }
  return p.error;
}

}  // namespace

void ChatWindow::draw(const client::AppModel& model, client::Intents& intents) {
  widgets.clear();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("chat", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoScrollbar);
  draw_header(model, intents);

  const ImGuiStyle& style = ImGui::GetStyle();
  const float sidebar_w = 15.0f * ImGui::GetFontSize();
  ImGui::BeginChild("sidebar", ImVec2(sidebar_w, 0), false);
  sidebar.draw(model, intents, widgets, fonts);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_error(model, intents);

  // The typing line always has its row, so the transcript does not jump when it shows.
  float composer_h = ImGui::GetFrameHeight() + style.ItemSpacing.y * 2 +
                     ImGui::GetTextLineHeightWithSpacing();
  if (!model.refusal().empty()) composer_h += ImGui::GetTextLineHeightWithSpacing();
  if (model.editing_seq() != 0) composer_h += ImGui::GetFrameHeightWithSpacing();
  if (model.options_open()) composer_h += 2 * ImGui::GetFrameHeightWithSpacing();
  composer_h += component_height(model);
  layout_transcript(model);
  ImGui::BeginChild("transcript", ImVec2(0, -composer_h), false);
  draw_transcript(model, intents);
  ImGui::EndChild();

  draw_composer(model, intents);
  ImGui::EndGroup();
  ImGui::End();
}

void ChatWindow::draw_header(const client::AppModel& model, client::Intents& intents) {
  const Palette p;
  const client::Banner banner = model.banner();

  ImGui::AlignTextToFramePadding();
  ImGui::PushFont(fonts.bold);
  ImGui::Text("# %s", model.session().room().c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(p.text_dim, "you are %s", model.session().user().c_str());
  if (model.session().room() != "lobby") {
    // An owner cannot leave a room, only delete it; everyone else may leave.
    ImGui::SameLine();
    if (model.session().role() == protocol::MemberRole::owner) {
      if (ImGui::SmallButton("Delete room")) intents.delete_room = true;
      widgets.record("delete_button");
    } else {
      if (ImGui::SmallButton("Leave")) intents.leave_room = true;
      widgets.record("leave_button");
    }
  }
  if (model.session().conversation_state() != "idle") {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(p.assistant, "conversation: %s",
                       model.session().conversation_state().c_str());
  }
  if (const std::string online = model.online_line(); !online.empty()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(p.ok, "%s", online.c_str());
    if (ImGui::IsItemHovered()) {
      std::string names;
      for (const auto& u : model.session().signals().online()) names += u + "\n";
      ImGui::SetTooltip("%s", names.c_str());
    }
  }

  const ImGuiStyle& style = ImGui::GetStyle();
  const char* dot = "●";
  const float retry_w =
      banner.show_retry ? ImGui::CalcTextSize("Retry now").x + style.FramePadding.x * 2 : 0.0f;
  const float total = ImGui::CalcTextSize(dot).x + style.ItemSpacing.x +
                      ImGui::CalcTextSize(banner.text.c_str()).x +
                      (banner.show_retry ? style.ItemSpacing.x + retry_w : 0.0f);
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - total));
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(banner_colour(banner.state, p), "%s", dot);
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(banner.text.c_str());
  if (banner.show_retry) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    const bool retry = ImGui::Button("Retry now");
    ImGui::PopStyleColor();
    if (retry) intents.retry_now = true;
    widgets.record("retry_button");
  }
  ImGui::Separator();
}

void ChatWindow::draw_error(const client::AppModel& model, client::Intents& intents) {
  const auto& error = model.session().last_error();
  if (!error) return;
  const Palette p;
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, p.error_bg);
  ImGui::BeginChild("error", ImVec2(0, ImGui::GetFrameHeight() + style.WindowPadding.y), false,
                    ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(ImVec2(style.FramePadding.x, style.WindowPadding.y * 0.5f));
  ImGui::AlignTextToFramePadding();
  const std::string text = error->message.empty() ? error->code : error->code + ": " + error->message;
  ImGui::TextColored(p.error, "Server error  %s", text.c_str());
  const float button_w = ImGui::CalcTextSize("Dismiss").x + style.FramePadding.x * 2;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(),
                           ImGui::GetWindowContentRegionMax().x - button_w - style.FramePadding.x));
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.45f, 0.16f, 0.18f, 1.0f));
  if (ImGui::Button("Dismiss")) intents.dismiss_error = true;
  widgets.record("dismiss_button");
  ImGui::PopStyleColor();
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void ChatWindow::layout_transcript(const client::AppModel& model) {
  const float scale = ImGui::GetFontSize() / kBaseFontPx;
  const float pad_x = 14 * scale;
  // The scrollbar's room is kept whether or not it shows, so rows never rewrap when it
  // appears.
  row_w_ = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
  row_h_ = std::floor(ImGui::GetFontSize() * 1.5f);
  ImFont* font = fonts.regular;
  const client::LineBreaker breaker = [font](const char* begin, const char* end, float width) {
    return font->CalcWordWrapPositionA(1.0f, begin, end, width);
  };
  layout_changed_ = layout.update(model.session().transcript(), row_w_ - 2 * pad_x,
                                  reinterpret_cast<std::uintptr_t>(font), breaker);
  if (layout_changed_) view.entries_wrapped = layout.entries_wrapped();
  cached_entry_ = std::numeric_limits<std::uint32_t>::max();

  // One row above the messages says whether older ones are there to load.
  const std::size_t rows = layout.row_count() == 0 ? 0 : layout.row_count() + 1;
  ImGui::SetNextWindowContentSize(ImVec2(0.0f, static_cast<float>(rows) * row_h_));
  if (layout.rows_prepended() > 0 && !follow_bottom) {
    // Older history went in above: move down by as much, so the same messages stay put.
    ImGui::SetNextWindowScroll(
        ImVec2(-1.0f, last_scroll_y_ + static_cast<float>(layout.rows_prepended()) * row_h_));
  }
}

void ChatWindow::draw_transcript(const client::AppModel& model, client::Intents& intents) {
  const float width = row_w_;
  const float row_h = row_h_;
  const bool changed = layout_changed_;

  // On a frame where nothing changed, this says whether the user looks at the newest
  // message; new content then keeps the view there only if so.
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - row_h * 0.5f;
  if (!changed) follow_bottom = at_bottom;

  const client::Session& session = model.session();
  if (layout.row_count() == 0) {
    const char* hint = "No messages yet. Say hello!";
    const ImVec2 size = ImGui::CalcTextSize(hint);
    ImGui::SetCursorPos(ImVec2((ImGui::GetWindowWidth() - size.x) * 0.5f,
                               (ImGui::GetWindowHeight() - size.y) * 0.4f));
    ImGui::TextDisabled("%s", hint);
    view = TranscriptView{};
    return;
  }
  // Near the top with older messages on the server: fetch the next page before the
  // user gets there, so scrolling up does not stop.
  // (A view following the newest message is not near the top even when a new room's
  // first frame has not scrolled down yet — unless everything fits on screen.)
  const bool near_top = ImGui::GetScrollY() < row_h * 40 &&
                        (!follow_bottom || ImGui::GetScrollMaxY() < row_h * 40);
  if (session.has_older() && !session.loading_older() && near_top) {
    intents.load_older = true;
  }

  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(layout.row_count() + 1), row_h);
  std::uint64_t first_seq = 0, last_seq = 0;
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      if (i == 0) {
        draw_top_row(model, width, row_h);
        continue;
      }
      const client::TranscriptRow row = layout.row(static_cast<std::size_t>(i - 1));
      draw_row(model, row, width, row_h, intents);
      const std::uint64_t seq = view_entry(model, row.entry).seq;
      if (seq != 0) {
        if (first_seq == 0 || seq < first_seq) first_seq = seq;
        last_seq = std::max(last_seq, seq);
      }
    }
  }
  clipper.End();
  ImGui::PopStyleVar();

  draw_sources(model);
  if (ImGui::BeginPopup("entry-menu")) {
    if (ImGui::MenuItem("Copy text") && copy_entry < layout.entry_count()) {
      ImGui::SetClipboardText(model.entry(copy_entry).text.c_str());
    }
    ImGui::EndPopup();
  }
  if (changed && follow_bottom) ImGui::SetScrollHereY(1.0f);
  last_scroll_y_ = ImGui::GetScrollY();
  view.first_seq = first_seq;
  view.last_seq = last_seq;
  view.scroll_y = ImGui::GetScrollY();
  view.scroll_max_y = ImGui::GetScrollMaxY();
  view.rows = layout.row_count();
}

void ChatWindow::draw_sources(const client::AppModel& model) {
  if (open_sources_) {
    ImGui::OpenPopup("sources");
    open_sources_ = false;
  }
  const client::Entry* e = model.session().transcript().find_seq(sources_seq_);
  const float scale = ImGui::GetFontSize() / kBaseFontPx;
  ImGui::SetNextWindowSize(ImVec2(520 * scale, 0));
  if (!ImGui::BeginPopup("sources")) return;
  if (e == nullptr || e->sources.empty()) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  const Palette p;
  ImGui::TextColored(p.text_dim, "What the assistant read for this reply (select one to read it)");
  ImGui::Separator();
  for (std::size_t i = 0; i < e->sources.size(); ++i) {
    const client::SourceNote& s = e->sources[i];
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", s.score);
    const std::string label = s.document + " \u00B7 " + s.location + " \u00B7 score " + score +
                              "##source_" + std::to_string(i);
    if (ImGui::Selectable(label.c_str(), selected_source_ == i, ImGuiSelectableFlags_DontClosePopups))
      selected_source_ = i;
    widgets.record("source_" + std::to_string(i));
  }
  if (selected_source_ < e->sources.size()) {
    ImGui::Separator();
    ImGui::BeginChild("passage", ImVec2(0, 200 * scale), false);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(e->sources[selected_source_].passage.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    widgets.record("source_passage");
  }
  ImGui::EndPopup();
}

void ChatWindow::draw_top_row(const client::AppModel& model, float width, float row_h) {
  const Palette p;
  const client::Session& session = model.session();
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, row_h));
  std::string text;
  if (session.loading_older()) {
    text = "Loading older messages…";
  } else if (session.has_older()) {
    text = "Older messages are above";
  } else {
    text = "This is the start of #" + session.room();
  }
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  ImGui::GetWindowDrawList()->AddText(
      ImVec2(pos.x + (width - size.x) * 0.5f, pos.y + (row_h - size.y) * 0.5f), u32(p.text_dim),
      text.c_str());
}

const client::ViewEntry& ChatWindow::view_entry(const client::AppModel& model,
                                                std::uint32_t entry) {
  if (entry != cached_entry_) {
    cached_view_ = model.entry(entry);
    cached_entry_ = entry;
  }
  return cached_view_;
}

void ChatWindow::draw_row(const client::AppModel& model, const client::TranscriptRow& row,
                          float width, float row_h, client::Intents& intents) {
  using client::TranscriptRow;
  const std::int64_t now_ms = model.now_ms();
  const Palette p;
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, row_h));
  if (row.kind == TranscriptRow::Kind::gap) return;
  if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
    copy_entry = row.entry;
    ImGui::OpenPopup("entry-menu");
  }

  const client::ViewEntry& v = view_entry(model, row.entry);
  const float scale = ImGui::GetFontSize() / kBaseFontPx;
  const float font_px = ImGui::GetFontSize();
  const float pad_x = 14 * scale;
  const float rounding = 10 * scale;
  ImDrawList* dl = ImGui::GetWindowDrawList();

  const ImVec4& bg = v.assistant ? p.card_assistant : v.own ? p.card_own : p.card;
  ImDrawFlags corners = ImDrawFlags_RoundCornersNone;
  if (row.kind == TranscriptRow::Kind::header) corners = ImDrawFlags_RoundCornersTop;
  if (row.last_line) corners = ImDrawFlags_RoundCornersBottom;
  dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + row_h), u32(bg),
                    corners == ImDrawFlags_RoundCornersNone ? 0.0f : rounding, corners);

  const float text_y = pos.y + std::floor((row_h - font_px) * 0.5f);
  float x = pos.x + pad_x;
  if (row.kind == TranscriptRow::Kind::header) {
    const float header_y = text_y + std::floor(row_h * 0.12f);  // sit closer to the text
    dl->AddText(fonts.bold, font_px, ImVec2(x, header_y), u32(author_colour(v, p)),
                v.author.c_str());
    x += fonts.bold->CalcTextSizeA(font_px, FLT_MAX, 0.0f, v.author.c_str()).x + 8 * scale;
    if (v.assistant) {
      const char* tag = "AI";
      const float tag_w = fonts.bold->CalcTextSizeA(font_px * 0.8f, FLT_MAX, 0.0f, tag).x;
      ImVec4 tag_bg = p.assistant;
      tag_bg.w = 0.25f;
      dl->AddRectFilled(ImVec2(x, header_y - 1 * scale),
                        ImVec2(x + tag_w + 10 * scale, header_y + font_px + 1 * scale),
                        u32(tag_bg), 4 * scale);
      dl->AddText(fonts.bold, font_px * 0.8f, ImVec2(x + 5 * scale, header_y + font_px * 0.1f),
                  u32(p.assistant), tag);
      x += tag_w + 18 * scale;
    }
    if (!v.time.empty()) {
      dl->AddText(fonts.regular, font_px * 0.85f, ImVec2(x, header_y + font_px * 0.1f),
                  u32(p.text_dim), v.time.c_str());
    }
    float right = pos.x + width - pad_x;
    // Buttons on the header's right, laid out from the right edge leftwards.
    ImGui::PushID(static_cast<int>(row.entry));
    const std::string seq = std::to_string(v.seq);
    auto button = [&](const char* label, const std::string& widget) {
      const float button_w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
      right -= button_w;
      ImGui::SetCursorScreenPos(ImVec2(right, pos.y + (row_h - ImGui::GetFontSize()) * 0.5f));
      const bool pressed = ImGui::SmallButton(label);
      widgets.record(widget);
      right -= 6 * scale;
      return pressed;
    };
    const bool stoppable =
        (v.badge == Badge::streaming || v.badge == Badge::incomplete) && !v.gen_id.empty();
    // A reply being written can be stopped; what it wrote so far stays.
    if (stoppable && button("Stop", "stop_button")) intents.stop_generation = v.gen_id;
    if (v.can_regenerate && button("Regenerate", "regenerate_" + seq)) intents.regenerate = v.seq;
    if (v.sources > 0) {
      const std::string label = "Sources (" + std::to_string(v.sources) + ")";
      if (button(label.c_str(), "sources_" + seq)) {
        // The list opens outside the clipped rows, so scrolling does not close it.
        sources_seq_ = v.seq;
        selected_source_ = 0;
        open_sources_ = true;
      }
    }
    if (v.can_edit && button("Edit", "edit_" + seq)) intents.edit_message = v.seq;
    if (v.versions > 1) {
      // "‹ 2/3 ›": which version of the message this is, and the way to the others.
      if (button(">", "version_next_" + seq)) intents.show_version = std::make_pair(v.seq, 1);
      const std::string count = std::to_string(v.version) + "/" + std::to_string(v.versions);
      const float count_w = fonts.regular->CalcTextSizeA(font_px * 0.85f, FLT_MAX, 0.0f, count.c_str()).x;
      right -= count_w;
      dl->AddText(fonts.regular, font_px * 0.85f, ImVec2(right, header_y + font_px * 0.1f),
                  u32(p.text_dim), count.c_str());
      right -= 6 * scale;
      if (button("<", "version_prev_" + seq)) intents.show_version = std::make_pair(v.seq, -1);
    }
    ImGui::PopID();
    ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + row_h));
    right -= 2 * scale;
    if (!v.badge_text.empty()) {
      const float badge_px = font_px * 0.85f;
      const float badge_w =
          fonts.regular->CalcTextSizeA(badge_px, FLT_MAX, 0.0f, v.badge_text.c_str()).x;
      dl->AddText(fonts.regular, badge_px, ImVec2(right - badge_w, header_y + font_px * 0.1f),
                  u32(badge_colour(v.badge, p)), v.badge_text.c_str());
    }
    return;
  }

  const char* begin = v.text.data() + row.begin;
  const char* end = v.text.data() + row.end;
  dl->AddText(fonts.regular, font_px, ImVec2(x, text_y), u32(p.text), begin, end);
  const bool streaming = v.badge == Badge::streaming || v.badge == Badge::incomplete;
  if (streaming && row.last_line && (now_ms / 500) % 2 == 0) {
    const float line_w = fonts.regular->CalcTextSizeA(font_px, FLT_MAX, 0.0f, begin, end).x;
    dl->AddText(fonts.regular, font_px, ImVec2(x + line_w + 1 * scale, text_y),
                u32(p.assistant), "▍");
  }
}

float ChatWindow::component_height(const client::AppModel& model) const {
  const auto c = model.pending_component();
  if (!c) return 0.0f;
  const ImGuiStyle& style = ImGui::GetStyle();
  float h = style.WindowPadding.y * 2 + ImGui::GetTextLineHeightWithSpacing();  // the title
  if (!c->error.empty()) h += ImGui::GetTextLineHeightWithSpacing();
  h += static_cast<float>(c->fields.size()) *
       (ImGui::GetTextLineHeightWithSpacing() + ImGui::GetFrameHeightWithSpacing());
  h += ImGui::GetFrameHeightWithSpacing();  // the buttons
  return h + style.ItemSpacing.y;
}

void ChatWindow::draw_component(const client::AppModel& model, client::Intents& intents) {
  const auto c = model.pending_component();
  if (!c) return;
  const Palette p;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, p.card_assistant);
  ImGui::BeginChild("component", ImVec2(0, component_height(model) - ImGui::GetStyle().ItemSpacing.y),
                    true, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushFont(fonts.bold);
  ImGui::TextColored(p.assistant, "%s", c->title.empty() ? "Parley asks" : c->title.c_str());
  ImGui::PopFont();
  if (!c->error.empty()) ImGui::TextColored(p.error, "%s", c->error.c_str());
  for (const auto& f : c->fields) {
    ImGui::TextUnformatted((f.label + (f.required ? " *" : "")).c_str());
    std::string value = f.value;
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText(("##field_" + f.name).c_str(), &value);
    widgets.record("component_field_" + f.name);
    if (value != f.value) intents.component_value = std::make_pair(f.name, value);
  }
  if (c->type == "form") {
    if (ImGui::Button(c->submit_label.c_str())) intents.component_action = "submit";
    widgets.record("component_submit");
  }
  for (std::size_t i = 0; i < c->buttons.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::Button((c->buttons[i].label + "##button_" + c->buttons[i].id).c_str()))
      intents.component_action = c->buttons[i].id;
    widgets.record("component_button_" + c->buttons[i].id);
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void ChatWindow::draw_options(const client::AppModel& model, client::Intents& intents) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const auto& drafts = model.option_drafts();
  auto field = [&](const char* name, const char* hint, float width) {
    const auto it = drafts.find(name);
    std::string value = it == drafts.end() ? std::string() : it->second;
    ImGui::SetNextItemWidth(width);
    ImGui::InputTextWithHint((std::string("##option_") + name).c_str(), hint, &value);
    widgets.record(std::string("option_") + name);
    if (value != (it == drafts.end() ? std::string() : it->second))
      intents.option_value = std::make_pair(std::string(name), value);
  };
  const float quarter = (ImGui::GetContentRegionAvail().x - 3 * style.ItemSpacing.x) / 4;
  field("model", "model (default)", quarter);
  ImGui::SameLine();
  field("temperature", "temperature 0-2", quarter);
  ImGui::SameLine();
  field("max_tokens", "max tokens", quarter);
  ImGui::SameLine();
  field("history", "history (messages)", quarter);
  field("system_prompt", "system prompt (for model providers)", -1);
}

void ChatWindow::draw_composer(const client::AppModel& model, client::Intents& intents) {
  const Palette p;
  const ImGuiStyle& style = ImGui::GetStyle();
  draw_component(model, intents);
  ImGui::Dummy(ImVec2(0, style.ItemSpacing.y * 0.5f));
  const std::string typing = model.typing_line();
  const float line_w = ImGui::GetContentRegionAvail().x;
  ImGui::TextColored(p.text_dim, "%s", typing.empty() ? " " : typing.c_str());
  const float send_w = ImGui::CalcTextSize("Send").x + style.FramePadding.x * 4;
  {
    // How the assistant should answer: model, temperature, max tokens, history, system
    // prompt for the next messages (and regenerations).
    const char* label = model.options_open() ? "Hide options" : "Options";
    const float w = ImGui::CalcTextSize(label).x + style.FramePadding.x * 2;
    ImGui::SameLine(line_w - w);  // from the left of the group this column is
    if (ImGui::SmallButton(label)) intents.toggle_options = true;
    widgets.record("options_button");
  }
  if (model.options_open()) draw_options(model, intents);

  if (model.editing_seq() != 0) {
    // Editing: Send makes a new version of the message (and the assistant answers it).
    ImGui::TextColored(p.assistant, "Editing your message #%llu",
                       static_cast<unsigned long long>(model.editing_seq()));
    ImGui::SameLine();
    if (ImGui::SmallButton("Cancel edit")) intents.cancel_edit = true;
    widgets.record("cancel_edit_button");
  }
  if (last_editing_seq_ != model.editing_seq()) {
    last_editing_seq_ = model.editing_seq();
    if (last_editing_seq_ != 0) focus_input = true;
  }
  std::string draft = model.message_draft();
  if (focus_input) {
    ImGui::SetKeyboardFocusHere();
    focus_input = false;
  }
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - send_w - style.ItemSpacing.x);
  const bool enter = ImGui::InputTextWithHint("##message", "Write a message… (Enter sends)",
                                              &draft, ImGuiInputTextFlags_EnterReturnsTrue);
  widgets.record("message_input");
  if (draft != model.message_draft()) intents.message_draft = draft;
  ImGui::SameLine();
  const bool clicked = ImGui::Button("Send", ImVec2(send_w, 0));
  widgets.record("send_button");
  if (enter || clicked) {
    intents.message_draft = draft;
    intents.send = true;
    focus_input = true;
    follow_bottom = true;
  }
  if (!model.refusal().empty()) {
    ImGui::TextColored(p.error, "%s", model.refusal().c_str());
  }
}

}  // namespace parley::web

namespace parley::web {

std::string TranscriptView::to_json() const {
  return "{\"first_seq\":" + std::to_string(first_seq) + ",\"last_seq\":" +
         std::to_string(last_seq) + ",\"scroll_y\":" + std::to_string(scroll_y) +
         ",\"scroll_max_y\":" + std::to_string(scroll_max_y) + ",\"rows\":" +
         std::to_string(rows) + ",\"entries_wrapped\":" + std::to_string(entries_wrapped) + "}";
}

}  // namespace parley::web
