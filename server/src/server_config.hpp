// Command-line configuration of parley-server.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace parley::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string db_path = "data/parley.db";
  std::string web_root = "web";
  unsigned threads = 2;
  unsigned assistant_delay_ms = 40;    // pause between streamed tokens
  unsigned checkpoint_ms = 500;        // a growing reply's text is stored at least this often
  unsigned heartbeat_ms = 15000;       // how often clients ping; dead after two misses
  std::size_t max_message_bytes = 64 * 1024;   // larger frames get error too_large
  std::size_t hard_frame_bytes = 1024 * 1024;  // larger frames close the connection (1009)
  std::size_t send_queue_frames = 4096;        // per connection, then the peer is dropped
  std::size_t send_queue_bytes = 16 * 1024 * 1024;
  // Per connection, over a sliding window; pings are not counted. 0 = unlimited.
  std::uint32_t rate_frames = 120;
  std::uint64_t rate_bytes = 1024 * 1024;
  std::chrono::milliseconds rate_window{10000};
  unsigned max_connections_per_user = 8;  // open WebSocket connections under one name
  unsigned max_rooms_per_user = 100;      // rooms one user owns
  // Lengths in bytes, at most the protocol's ceilings (validation.hpp): message text,
  // user names (new connections and accounts), room names (new rooms).
  std::size_t max_text_bytes = 8000;
  std::size_t max_name_bytes = 32;
  std::size_t max_room_bytes = 64;
  // Identity. Tokens are HS256 JWTs signed with the secret in the environment variable
  // named here (a random per-run secret when it is unset).
  std::string jwt_secret_env = "PARLEY_JWT_SECRET";
  unsigned token_ttl_s = 3600;
  bool require_token = false;     // hello must carry a token
  bool dev_login = true;          // POST /api/v1/token issues a token for a bare name
  bool open_registration = true;  // POST /api/v1/accounts creates accounts
  // Failed sign-ins (POST /api/v1/token) allowed per window, per name and per address;
  // past them: 429 rate_limited with retry_after_ms. 0 = unlimited.
  std::uint32_t sign_in_failures_per_name = 5;
  std::uint32_t sign_in_failures_per_address = 20;
  std::uint32_t sign_in_window_ms = 60000;
  // How long an HTTP request (headers and body) may take to arrive before 408.
  std::uint32_t http_read_timeout_ms = 30000;
  // Uploads and documents. Files go under files_dir by content hash; unfinished uploads
  // under files_dir/incoming. "" = next to the database, in a folder named "files".
  std::string files_dir;
  std::uint64_t max_upload_bytes = 50ull * 1024 * 1024;
  std::uint32_t upload_chunk_bytes = 32 * 1024;  // raw bytes per chunk (base64 is 4/3 of it)
  std::string clamd_socket;  // scan every finished upload through clamd here ("" = no scan)
  // The assistant: "builtin" (no network) or "openai" (an OpenAI-compatible server).
  std::string assistant = "builtin";
  std::string openai_base_url;   // e.g. http://127.0.0.1:11434/v1
  std::string openai_model;
  std::string openai_key_env = "OPENAI_API_KEY";  // the key is read from this variable
  std::string openai_ca_file;    // extra CA certificates for https
  unsigned openai_timeout_ms = 60000;  // longest silence within a streamed answer
};

// Parses argv. On --help or a bad option, prints to stdout/stderr and returns the exit
// code the program should end with; otherwise returns the config.
struct ParseOutcome {
  std::optional<ServerConfig> config;
  int exit_code = 0;
};
ParseOutcome parse_command_line(int argc, char** argv);

}  // namespace parley::server
