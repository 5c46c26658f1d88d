// The chat protocol's rules: what each client frame means and what the server answers.
// Called on the connection's strand; every store access goes through the history worker,
// so nothing here blocks a network thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "assistant_runner.hpp"
#include "conversation_states.hpp"
#include "fanout.hpp"
#include "frames.hpp"
#include <nlohmann/json.hpp>
#include "history_worker.hpp"
#include "live_generations.hpp"
#include "parley/protocol.hpp"
#include "parley/validation.hpp"
#include "peer_state.hpp"
#include "account_names.hpp"
#include "presence_registry.hpp"
#include "room_service.hpp"
#include "token_service.hpp"
#include "upload_service.hpp"
#include "user_directory.hpp"
#include "server_config.hpp"

namespace parley::server {

class ChatService {
 public:
  ChatService(const ServerConfig& config, HistoryWorker& history, Fanout& fanout,
              LiveGenerations& live, AssistantRunner& assistant, UserDirectory& users,
              RoomService& rooms, PresenceRegistry& presence, const TokenService& tokens,
              const AccountNames& accounts);

  // One complete frame from `peer`. `binary` frames are accepted when they hold UTF-8
  // JSON, like text frames.
  void on_frame(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                std::string_view frame, bool binary);
  // The connection is gone: stop delivering to it.
  void on_close(const Subscriber* peer, const PeerState& state);

  const ServerConfig& config() const { return config_; }

  // Stores a message from `user` (a member of m.room) and, once it is durable, calls
  // `done` with its Ack (or an Error), broadcasts it and lets the assistant answer. The
  // WebSocket send and the REST endpoint both come through here. `done` runs on the
  // history worker's thread.
  // A service (`as_service`) publishes into any existing room without being a member;
  // its messages are stored as kind system.
  void post_message(const std::string& user, const protocol::Send& m,
                    std::function<void(const protocol::Message&)> done, bool as_service = false);

 private:
  // Applies the connection's rate limit; answers rate_limited and returns false when the
  // frame must be dropped.
  // Counts one frame of `bytes` against the connection's limits; false (and the peer
  // told rate_limited, with `ref`) when it does not fit.
  bool admit(const std::shared_ptr<Subscriber>& peer, PeerState& state, const std::string& ref,
             std::size_t bytes);
  void on_hello(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                const protocol::Hello& m);
  void on_join(const std::shared_ptr<Subscriber>& peer, PeerState& state,
               const protocol::Join& m);
  // Reads what a join answers: recent history, or a page of a resume.
  // Checks access first: an outsider of a private or group room gets not_found.
  static std::variant<protocol::Joined, protocol::Error> read_join(history::HistoryStore& store,
                                                                   const protocol::Join& m,
                                                                   const std::string& user,
                                                                   std::size_t max_rooms_per_user,
                                                                   std::size_t max_room_bytes);
  void on_unsubscribe(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                      const protocol::Unsubscribe& m);
  void on_stop(const std::shared_ptr<Subscriber>& peer, const protocol::StopGeneration& m);
  void on_component_submit(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                           const protocol::ComponentSubmit& m);
  void on_regenerate(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                     const protocol::Regenerate& m);
  // The options' bounds (validation.hpp) and a model this server's assistant serves;
  // `where` names the message in the reason ("send", "regenerate").
  validation::Verdict check_options(const protocol::GenerationOptions& options,
                                    const char* where) const;
  // The voice front-end's frames: a state change, transcript progress, speech events.
  void on_voice(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                const protocol::Message& m);
  void on_fetch_history(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                        const protocol::FetchHistory& m);
  void on_auth(const std::shared_ptr<Subscriber>& peer, PeerState& state,
               const protocol::Auth& m);
  void on_typing(const std::shared_ptr<Subscriber>& peer, PeerState& state,
                 const protocol::Typing& m);
  void on_mark(const std::shared_ptr<Subscriber>& peer, PeerState& state,
               const protocol::Mark& m);
  void on_send(const std::shared_ptr<Subscriber>& peer, PeerState& state,
               const protocol::Send& m);

  const ServerConfig& config_;
  HistoryWorker& history_;
  Fanout& fanout_;
  LiveGenerations& live_;
  AssistantRunner& assistant_;
  UserDirectory& users_;
  RoomService& rooms_;
  PresenceRegistry& presence_;
  ConversationStates states_;
  const TokenService& tokens_;
  const AccountNames& accounts_;
  UploadService uploads_;
};

// Whether the assistant answers `text` in a room with this setting.
bool wants_assistant(protocol::AssistantMode mode, std::string_view text);

}  // namespace parley::server
