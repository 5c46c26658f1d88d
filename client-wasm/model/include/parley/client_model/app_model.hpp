// The web client's state: the session plus what belongs to the screen (drafts, the
// reason the last input was refused, the current time for countdowns). Draw code reads
// it through const accessors and returns Intents; the platform drives the session.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "parley/client_model/component_view.hpp"
#include "parley/client_model/intents.hpp"
#include "parley/client_model/view_entry.hpp"
#include "parley/client_session.hpp"

namespace parley::client {

enum class Screen { sign_in, chat };

// Signing in with a password (or creating an account) asks the server for a token over
// HTTP first; the platform carries this out and reports back with login_result().
struct LoginRequest {
  std::string name;
  std::string password;
  bool create = false;  // make the account first
};

struct Banner {
  ConnectionState state = ConnectionState::disconnected;
  std::string text;         // "Connected", "Reconnecting in 3 s", ...
  bool show_retry = false;  // offer "Retry now"
};

class AppModel {
 public:
  AppModel(SessionOptions options, Session::IdGenerator next_id, Session::Random01 random01,
           int tz_offset_minutes);

  void apply(const Intents& intents);
  void tick(std::int64_t now_ms);

  Session& session() { return session_; }
  const Session& session() const { return session_; }
  std::int64_t now_ms() const { return now_ms_; }

  Screen screen() const;
  const std::string& name_draft() const { return name_draft_; }
  const std::string& message_draft() const { return message_draft_; }
  // The seq of the user's message being edited (Send sends a new version of it); 0 when
  // the field holds a new message.
  std::uint64_t editing_seq() const { return editing_seq_; }
  // A file the user picked (the platform read it): uploaded to the room on screen.
  void file_chosen(const std::string& name, const std::string& media_type, std::string bytes);
  // The per-message options panel: whether it shows, its fields as typed, and the
  // options they make (nullopt when all are empty; an error text when one is invalid).
  bool options_open() const { return options_open_; }
  const std::map<std::string, std::string>& option_drafts() const { return option_drafts_; }
  std::optional<protocol::GenerationOptions> generation_options(std::string* error = nullptr) const;
  // The newest component of the assistant nobody answered yet, with the user's drafts.
  std::optional<ComponentView> pending_component() const;
  const std::string& new_room_draft() const { return new_room_draft_; }
  const std::string& invite_draft() const { return invite_draft_; }
  protocol::MemberRole invite_role() const { return invite_role_; }
  // Whether the user may manage the room on screen's members and settings.
  bool can_manage_room() const;
  bool password_entered() const { return !password_draft_.empty(); }
  bool signing_in() const { return signing_in_; }
  std::optional<LoginRequest> take_login_request();
  // The server's answer to a LoginRequest: a token for `user`, or why not.
  void login_result(bool ok, const std::string& user, const std::string& token,
                    const std::string& error);
  protocol::RoomType new_room_type() const { return new_room_type_; }
  // Why the last Join or Send was refused; "" once the input is accepted or edited.
  const std::string& refusal() const { return refusal_; }
  Banner banner() const;

  std::size_t entry_count() const { return session_.transcript().size(); }
  std::uint64_t transcript_revision() const { return session_.transcript().revision(); }
  ViewEntry entry(std::size_t index) const;
  // "bob is typing…", "" when nobody is.
  std::string typing_line() const;
  // "3 online", "" before joining.
  std::string online_line() const;

 private:
  Session session_;
  int tz_offset_minutes_;
  std::int64_t now_ms_ = 0;
  std::string name_draft_;
  std::string message_draft_;
  std::uint64_t editing_seq_ = 0;
  bool options_open_ = false;
  std::map<std::string, std::string> option_drafts_;
  std::uint64_t component_seq_ = 0;  // the component the drafts belong to
  std::map<std::string, std::string> component_drafts_;
  std::string new_room_draft_;
  std::string invite_draft_;
  protocol::MemberRole invite_role_ = protocol::MemberRole::member;
  std::string password_draft_;
  std::optional<LoginRequest> login_request_;
  bool signing_in_ = false;
  protocol::RoomType new_room_type_ = protocol::RoomType::group;
  std::string refusal_;
};

}  // namespace parley::client
