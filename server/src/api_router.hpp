// The REST API under /api/v1/: tokens and accounts, rooms, paginated history, posting
// messages, and server stats. JSON in and out; the same tokens, access rules and
// de-duplication as the WebSocket. Nothing here blocks a network thread: the store is
// reached through the history worker and password hashing runs on a thread of its own;
// `reply` is called once, from whichever thread finished the work.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "account_names.hpp"
#include "chat_service.hpp"
#include "history_worker.hpp"
#include "room_service.hpp"
#include "server_config.hpp"
#include "sign_in_throttle.hpp"
#include "token_service.hpp"
#include "user_directory.hpp"

namespace parley::server {

struct ApiRequest {
  std::string method;         // "GET", "POST", ...
  std::string target;         // path and query
  std::string authorization;  // the Authorization header, "" when absent
  std::string body;
  std::string remote;         // the client's address, for limits per address
};

struct ApiResponse {
  unsigned status = 200;
  std::string body;  // JSON
};

class ApiRouter {
 public:
  using Reply = std::function<void(ApiResponse)>;

  ApiRouter(const ServerConfig& config, HistoryWorker& history, ChatService& chat,
            RoomService& rooms, const TokenService& tokens, const UserDirectory& users,
            const std::atomic<std::size_t>& connections, AccountNames& accounts);
  ~ApiRouter();

  void handle(ApiRequest request, Reply reply);

 private:
  void issue_token(const std::string& body, const std::string& remote, Reply reply);
  // Answers a sign-in that failed, after as long as checking a password takes (so an
  // unknown name and a wrong password cost the same), and counts the failure.
  void refuse_sign_in(const std::string& name, const std::string& remote, Reply reply);
  void create_account(const std::string& body, Reply reply);
  void list_rooms(const TokenClaims& who, Reply reply);
  void room_details(const TokenClaims& who, const std::string& room, Reply reply);
  void messages(const TokenClaims& who, const std::string& room, std::string_view query,
                Reply reply);
  void post_message(const TokenClaims& who, const std::string& room, const std::string& body,
                    Reply reply);
  void stats(const TokenClaims& who, Reply reply);
  void publish(const TokenClaims& who, const std::string& channel, const std::string& body,
               Reply reply);

  const ServerConfig& config_;
  HistoryWorker& history_;
  ChatService& chat_;
  RoomService& rooms_;
  const TokenService& tokens_;
  const UserDirectory& users_;
  const std::atomic<std::size_t>& connections_;
  AccountNames& accounts_;
  SignInThrottle sign_ins_;
  std::string decoy_hash_;           // checked against for unknown names; kdf_ thread only
  boost::asio::thread_pool kdf_{1};  // slow password hashing, off the network threads
};

}  // namespace parley::server
