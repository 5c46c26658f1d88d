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

void RoomSidebar::draw_documents(const client::AppModel& model, client::Intents& intents,
                                 WidgetRects& widgets, const Fonts& fonts) {
  const Palette p;
  const client::Session& s = model.session();
  ImGui::Spacing();
  section("DOCUMENTS", fonts);
  // The browser's file picker; the file uploads in chunks with its progress below.
  if (ImGui::Button("Upload file\u2026", ImVec2(-1, 0))) intents.pick_file = true;
  widgets.record("upload_button");
  for (const client::UploadStatus& u : s.documents().uploads()) {
    if (u.state == client::UploadStatus::State::done) continue;
    ImGui::TextUnformatted(u.file_name.c_str());
    if (u.state == client::UploadStatus::State::failed) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(p.error, "%s", u.error.c_str());
      ImGui::PopTextWrapPos();
      continue;
    }
    const std::string label =
        u.state == client::UploadStatus::State::checking ? std::string("checking\u2026")
                                                          : std::to_string(u.percent()) + "%";
    ImGui::ProgressBar(static_cast<float>(u.percent()) / 100.0f, ImVec2(-1, 0), label.c_str());
    widgets.record("upload_progress");
  }
  const auto& docs = s.documents().documents();
  if (docs.empty() && s.documents().uploads().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_dim);
    ImGui::TextWrapped("none yet: the assistant reads what you upload");
    ImGui::PopStyleColor();
  }
  for (const auto& d : docs) {
    std::string state = d.state == "processing" ? "processing " + std::to_string(d.progress) + "%"
                        : d.state == "ready"    ? std::to_string(d.passages) + " passages"
                                                : "failed";
    const std::string id = std::to_string(d.id);
    const std::string popup = "document_menu_" + id;
    if (ImGui::Selectable((d.name + "##document_" + id).c_str(), false)) ImGui::OpenPopup(popup.c_str());
    widgets.record("document_" + d.name);
    ImGui::SameLine();
    ImGui::TextColored(d.state == "failed" ? p.error : p.text_dim, "%s", state.c_str());
    if (ImGui::BeginPopup(popup.c_str())) {
      ImGui::Text("%s \u00B7 %llu bytes \u00B7 by %s", d.kind.c_str(),
                  static_cast<unsigned long long>(d.size), d.uploader.c_str());
      if (!d.error.empty()) ImGui::TextColored(p.error, "%s", d.error.c_str());
      if (ImGui::MenuItem("Delete document")) intents.delete_document = d.id;
      widgets.record("document_delete_item");
      ImGui::EndPopup();
    }
  }
}

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
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (ImGui::Button("Create", ImVec2(half, 0)) || enter) {
    intents.new_room_draft = draft;
    intents.create_room = true;
  }
  widgets.record("create_room_button");
  ImGui::SameLine();
  if (ImGui::Button("Join", ImVec2(-1, 0))) {
    intents.new_room_draft = draft;
    intents.join_room = true;
  }
  widgets.record("join_room_button");

  ImGui::Spacing();
  section("MEMBERS", fonts);
  const auto online = s.signals().online();
  auto is_online = [&](const std::string& user) {
    return std::any_of(online.begin(), online.end(), [&](const std::string& o) {
      return validation::same_name(o, user);
    });
  };
  if (s.members().empty()) ImGui::TextColored(p.text_dim, "anyone signed in");
  const bool manager = model.can_manage_room();
  const bool owner = s.role() == protocol::MemberRole::owner;
  for (const auto& m : s.members()) {
    ImGui::TextColored(is_online(m.user) ? p.ok : p.text_dim, "%s", "●");
    ImGui::SameLine();
    std::string label = m.user;
    if (m.role != protocol::MemberRole::member) label += std::string("  ") + protocol::to_string(m.role);
    // Owners manage everyone but themselves; admins manage plain members.
    const bool manageable = manager && !validation::same_name(m.user, s.user()) &&
                            m.role != protocol::MemberRole::owner &&
                            (owner || m.role == protocol::MemberRole::member);
    if (!manageable) {
      ImGui::TextUnformatted(label.c_str());
      continue;
    }
    const std::string popup = "member_menu_" + m.user;
    if (ImGui::Selectable((label + "##member_" + m.user).c_str(), false)) ImGui::OpenPopup(popup.c_str());
    widgets.record("member_" + m.user);
    if (ImGui::BeginPopup(popup.c_str())) {
      if (owner) {
        const bool admin = m.role == protocol::MemberRole::admin;
        if (ImGui::MenuItem(admin ? "Make member" : "Make admin")) {
          intents.set_role = protocol::Member{
              m.user, admin ? protocol::MemberRole::member : protocol::MemberRole::admin};
        }
        widgets.record("member_role_item");
      }
      if (ImGui::MenuItem("Remove from room")) intents.remove_member = m.user;
      widgets.record("member_remove_item");
      ImGui::EndPopup();
    }
  }

  const protocol::RoomSummary* summary = nullptr;
  for (const auto& r : s.rooms())
    if (r.room == s.room()) summary = &r;
  if (manager && summary != nullptr && summary->type == RoomType::group) {
    std::string invitee = model.invite_draft();
    ImGui::SetNextItemWidth(-1);
    const bool enter = ImGui::InputTextWithHint("##invite", "name to invite", &invitee,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    widgets.record("invite_input");
    if (invitee != model.invite_draft()) intents.invite_draft = invitee;
    if (ImGui::Button("Invite", ImVec2(-1, 0)) || enter) {
      intents.invite_draft = invitee;
      intents.invite = true;
    }
    widgets.record("invite_button");
  }

  draw_documents(model, intents, widgets, fonts);

  if (summary != nullptr) {
    ImGui::Spacing();
    section("ASSISTANT", fonts);
    using protocol::AssistantMode;
    if (!manager) {
      ImGui::TextColored(p.text_dim, "answers %s",
                         summary->assistant == AssistantMode::always    ? "every message"
                         : summary->assistant == AssistantMode::mention ? "when @Parley is named"
                                                                         : "nothing (off)");
      return;
    }
    for (AssistantMode mode : {AssistantMode::always, AssistantMode::mention, AssistantMode::off}) {
      const char* word = protocol::to_string(mode);
      if (ImGui::RadioButton(word, summary->assistant == mode) && summary->assistant != mode) {
        intents.set_assistant = mode;
      }
      widgets.record(std::string("assistant_") + word);
      if (mode == AssistantMode::always) ImGui::SameLine();  // two to a line
    }
  }
}

}  // namespace parley::web
