#include "room_sidebar.hpp"

#include <algorithm>
#include <string>

#include "imgui.h"
#include "imgui_stdlib.h"

namespace parley::web {
namespace {

using protocol::RoomType;

const char* type_word(RoomType t) {
  switch (t) {
    case RoomType::private_: return "private";
    case RoomType::group: return "group";
    case RoomType::shared: break;
  }
  return "shared";
}

void section(const char* title, const Fonts& fonts) {
  const Palette p;
  ImGui::PushFont(fonts.bold);
  ImGui::TextColored(p.text_dim, "%s", title);
  ImGui::PopFont();
}

}  // namespace

void RoomSidebar::draw(const client::AppModel& model, client::Intents& intents,
                       WidgetRects& widgets, const Fonts& fonts) {
  const Palette p;
  const client::Session& s = model.session();

  section("ROOMS", fonts);
  // The current room is listed even before the server's list arrives.
  bool current_listed = false;
  for (const auto& r : s.rooms()) current_listed = current_listed || r.room == s.room();
  auto row = [&](const std::string& room, RoomType type, std::uint64_t unread) {
    const bool current = room == s.room();
    std::string label = "# " + room;
    if (type != RoomType::shared) label += std::string("  (") + type_word(type) + ")";
    if (!current && unread > 0) label += "  " + std::to_string(unread);
    label += "##room_" + room;
    if (ImGui::Selectable(label.c_str(), current) && !current) intents.switch_room = room;
    widgets.record("room_" + room);
  };
  if (!current_listed) row(s.room(), RoomType::shared, 0);
  for (const auto& r : s.rooms()) row(r.room, r.type, r.unread);

  ImGui::Spacing();
  section("NEW ROOM", fonts);
  std::string draft = model.new_room_draft();
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##new_room", "room-name", &draft,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  widgets.record("new_room_input");
  if (draft != model.new_room_draft()) intents.new_room_draft = draft;
  for (RoomType t : {RoomType::group, RoomType::shared, RoomType::private_}) {
    if (ImGui::RadioButton(type_word(t), model.new_room_type() == t)) intents.new_room_type = t;
    widgets.record(std::string("type_") + type_word(t));
    // Two to a line: the sidebar is narrow.
    if (t == RoomType::group) ImGui::SameLine();
  }
  if (ImGui::Button("Create", ImVec2(-1, 0)) || enter) {
    intents.new_room_draft = draft;
    intents.create_room = true;
  }
  widgets.record("create_room_button");

  ImGui::Spacing();
  section("MEMBERS", fonts);
  const auto online = s.signals().online();
  auto is_online = [&](const std::string& user) {
    return std::any_of(online.begin(), online.end(), [&](const std::string& o) {
      return validation::same_name(o, user);
    });
  };
  if (s.members().empty()) ImGui::TextColored(p.text_dim, "anyone signed in");
  for (const auto& m : s.members()) {
    ImGui::TextColored(is_online(m.user) ? p.ok : p.text_dim, "%s", "●");
    ImGui::SameLine();
    ImGui::TextUnformatted(m.user.c_str());
    if (m.role != protocol::MemberRole::member) {
      ImGui::SameLine();
      ImGui::TextColored(p.text_dim, "%s", protocol::to_string(m.role));
    }
  }
}

}  // namespace parley::web
