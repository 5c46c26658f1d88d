// What the UI asks for in one frame. Draw code fills it; AppModel::apply carries it out,
// so drawing never changes state directly.
#pragma once

#include <optional>
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
  bool leave_room = false;
  bool delete_room = false;
};

}  // namespace parley::client
