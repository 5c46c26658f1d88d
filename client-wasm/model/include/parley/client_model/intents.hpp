// What the UI asks for in one frame. Draw code fills it; AppModel::apply carries it out,
// so drawing never changes state directly.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string>

#include "parley/protocol.hpp"

namespace parley::client {

struct Intents {
  std::optional<std::string> name_draft;     // the sign-in field was edited
  std::optional<std::string> message_draft;  // the message field was edited
  std::optional<std::string> password_draft; // the password field was edited
  bool create_account = false;               // "Create account" pressed
  bool join = false;                         // Join pressed (or Enter in the name field)
  bool send = false;                         // Send pressed (or Enter in the message field)
  bool retry_now = false;
  bool dismiss_error = false;
  std::optional<std::string> switch_room;    // a room in the sidebar was chosen
  std::optional<std::string> new_room_draft; // the new-room field was edited
  std::optional<protocol::RoomType> new_room_type;
  bool create_room = false;                  // Create pressed (or Enter in the field)
  bool join_room = false;                    // Join pressed: enter the room named in the field
  bool leave_room = false;
  bool delete_room = false;
  bool load_older = false;                   // the view is near the oldest message held
  std::optional<std::string> stop_generation;  // Stop pressed on a streaming reply
  std::optional<std::uint64_t> regenerate;     // Regenerate pressed on an ended reply
  std::optional<std::uint64_t> edit_message;   // Edit pressed on the user's own message
  bool cancel_edit = false;
  // The assistant's component: a form field edited (name, value); a button or Submit
  // pressed ("submit" or the button's id).
  std::optional<std::pair<std::string, std::string>> component_value;
  std::optional<std::string> component_action;
  // Per-message options for the assistant: the panel shown or hidden, a field edited
  // ("model", "temperature", "max_tokens", "system_prompt", "history").
  bool toggle_options = false;
  std::optional<std::pair<std::string, std::string>> option_value;
  bool pick_file = false;                      // "Upload file…": the platform opens its picker
  std::optional<std::uint64_t> delete_document;
  // An arrow of a version switcher: the message's seq and -1 (previous) or +1 (next).
  std::optional<std::pair<std::uint64_t, int>> show_version;
  // Members panel (owners and admins): add someone or change their role, remove
  // someone, and when the assistant answers in the room.
  std::optional<std::string> invite_draft;   // the invite field was edited
  std::optional<protocol::MemberRole> invite_role;
  bool invite = false;                       // Invite pressed (or Enter in the field)
  std::optional<std::string> remove_member;
  std::optional<protocol::Member> set_role;  // a member's role was changed
  std::optional<protocol::AssistantMode> set_assistant;
};

}  // namespace parley::client
