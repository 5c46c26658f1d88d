#include "server_config.hpp"

#include <charconv>
#include <iostream>
#include <string_view>

#include "parley/validation.hpp"

namespace parley::server {

namespace {

constexpr const char* kUsage =
    "Usage: parley-server [options]\n"
    "\n"
    "Serves the Parley web client, its WebSocket chat protocol at /ws and GET /health\n"
    "on one port.\n"
    "\n"
    "Options:\n"
    "  --host ADDR               address to listen on (default 127.0.0.1)\n"
    "  --port N                  port, 0 picks a free one (default 8080)\n"
    "  --db PATH                 SQLite history file (default data/parley.db)\n"
    "  --web-root DIR            folder with the web client (default web)\n"
    "  --threads N               network threads (default 2)\n"
    "  --assistant-delay-ms N    pause between the assistant's streamed tokens (default 40)\n"
    "  --checkpoint-ms N         how often a growing reply's text is stored, so a crash\n"
    "                            keeps it (default 500)\n"
    "  --heartbeat-ms N          client ping interval announced in welcome (default 15000)\n"
    "  --max-message-bytes N     largest accepted frame; larger ones get too_large\n"
    "                            (default 65536)\n"
    "  --rate-frames N           frames one connection may send per window, pings\n"
    "                            aside; 0 = unlimited (default 120)\n"
    "  --rate-bytes N            bytes one connection may send per window; 0 = unlimited\n"
    "                            (default 1048576)\n"
    "  --rate-window-ms N        the sliding window of both limits (default 10000)\n"
    "  --max-connections-per-user N  open connections under one name (default 8)\n"
    "  --max-rooms-per-user N    rooms one user may own (default 100)\n"
    "  --max-text-bytes N        longest message text, 1..8000 (default 8000)\n"
    "  --max-name-bytes N        longest user name for new connections and accounts,\n"
    "                            1..32 (default 32)\n"
    "  --max-room-bytes N        longest name of a new room, 1..64 (default 64)\n"
    "  --require-token on|off    hello must carry a token (default off)\n"
    "  --dev-login on|off        POST /api/v1/token gives a token for a bare name,\n"
    "                            without a password (default on)\n"
    "  --open-registration on|off  POST /api/v1/accounts creates accounts (default on)\n"
    "  --sign-in-failures N      failed sign-ins per name per window before POST\n"
    "                            /api/v1/token answers 429; 0 = unlimited (default 5)\n"
    "  --sign-in-failures-per-address N  the same per client address (default 20)\n"
    "  --sign-in-window-ms N     the sliding window of both (default 60000)\n"
    "  --send-queue-frames N     frames waiting to be sent to one connection before it\n"
    "                            is closed as too slow (1008) (default 4096)\n"
    "  --send-queue-bytes N      the same in bytes (default 16777216)\n"
    "  --http-read-timeout-ms N  time for an HTTP request to arrive before 408\n"
    "                            (default 30000)\n"
    "  --token-ttl-s N           lifetime of issued tokens (default 3600)\n"
    "  --jwt-secret-env NAME     environment variable holding the token secret, at\n"
    "                            least 32 bytes (default PARLEY_JWT_SECRET; unset: a\n"
    "                            random secret, so tokens end with the process)\n"
    "  --files-dir DIR           where uploaded files are kept, by content hash\n"
    "                            (default: a folder 'files' next to the database)\n"
    "  --max-upload-bytes N      largest upload (default 52428800, 50 MB)\n"
    "  --clamd-socket PATH       scan every finished upload with ClamAV's daemon on\n"
    "                            this Unix socket before anyone can use it (default: no scan)\n"
    "  --assistant builtin|openai  who answers: the built-in assistant (default; no\n"
    "                            network) or an OpenAI-compatible server\n"
    "  --openai-base-url URL     its API base, e.g. http://127.0.0.1:11434/v1 (Ollama),\n"
    "                            http://127.0.0.1:8080/v1 (llama.cpp), https://api.openai.com/v1\n"
    "  --openai-model NAME       the model to ask (a request's options.model overrides it)\n"
    "  --openai-key-env NAME     environment variable holding the API key (default\n"
    "                            OPENAI_API_KEY; unset or empty: no Authorization header)\n"
    "  --openai-ca-file PATH     extra CA certificates (PEM) to trust for https\n"
    "  --openai-timeout-ms N     longest silence in a streamed answer (default 60000)\n"
    "  --help                    show this text\n"
    "\n"
    "On start it prints 'parley-server listening on http://HOST:PORT/'.\n"
    "SIGINT or SIGTERM stop it cleanly.\n";

template <class T>
bool parse_number(std::string_view text, T& out, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    return false;
  out = value;
  return true;
}

bool parse_switch(std::string_view text, bool& out) {
  if (text == "on" || text == "true" || text == "1") {
    out = true;
    return true;
  }
  if (text == "off" || text == "false" || text == "0") {
    out = false;
    return true;
  }
  return false;
}

}  // namespace

ParseOutcome parse_command_line(int argc, char** argv) {
  ServerConfig c;
  auto bad = [](std::string_view what) {
    std::cerr << "parley-server: " << what << "\n(see parley-server --help)\n";
    return ParseOutcome{std::nullopt, 2};
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return {std::nullopt, 0};
    }
    if (i + 1 >= argc) return bad(std::string(arg) + " needs a value");
    std::string_view value = argv[++i];
    bool ok = true;
    if (arg == "--host") c.host = value;
    else if (arg == "--port") ok = parse_number<std::uint16_t>(value, c.port, 0, 65535);
    else if (arg == "--db") c.db_path = value;
    else if (arg == "--web-root") c.web_root = value;
    else if (arg == "--threads") ok = parse_number<unsigned>(value, c.threads, 1, 64);
    else if (arg == "--assistant-delay-ms")
      ok = parse_number<unsigned>(value, c.assistant_delay_ms, 0, 60000);
    else if (arg == "--require-token") ok = parse_switch(value, c.require_token);
    else if (arg == "--dev-login") ok = parse_switch(value, c.dev_login);
    else if (arg == "--open-registration") ok = parse_switch(value, c.open_registration);
    else if (arg == "--sign-in-failures")
      ok = parse_number<std::uint32_t>(value, c.sign_in_failures_per_name, 0, 1000000);
    else if (arg == "--sign-in-failures-per-address")
      ok = parse_number<std::uint32_t>(value, c.sign_in_failures_per_address, 0, 1000000);
    else if (arg == "--sign-in-window-ms")
      ok = parse_number<std::uint32_t>(value, c.sign_in_window_ms, 1, 86400000);
    else if (arg == "--http-read-timeout-ms")
      ok = parse_number<std::uint32_t>(value, c.http_read_timeout_ms, 100, 3600000);
    else if (arg == "--token-ttl-s")
      ok = parse_number<unsigned>(value, c.token_ttl_s, 10, 30 * 24 * 3600);
    else if (arg == "--jwt-secret-env") c.jwt_secret_env = value;
    else if (arg == "--max-connections-per-user")
      ok = parse_number<unsigned>(value, c.max_connections_per_user, 1, 100000);
    else if (arg == "--max-rooms-per-user")
      ok = parse_number<unsigned>(value, c.max_rooms_per_user, 1, 1000000);
    else if (arg == "--rate-frames")
      ok = parse_number<std::uint32_t>(value, c.rate_frames, 0, 1'000'000);
    else if (arg == "--rate-bytes")
      ok = parse_number<std::uint64_t>(value, c.rate_bytes, 0, 1ull << 40);
    else if (arg == "--rate-window-ms") {
      unsigned ms = 0;
      ok = parse_number<unsigned>(value, ms, 100, 3'600'000);
      c.rate_window = std::chrono::milliseconds(ms);
    } else if (arg == "--checkpoint-ms")
      ok = parse_number<unsigned>(value, c.checkpoint_ms, 10, 600000);
    else if (arg == "--heartbeat-ms")
      ok = parse_number<unsigned>(value, c.heartbeat_ms, 1000, 600000);
    else if (arg == "--max-text-bytes")
      ok = parse_number<std::size_t>(value, c.max_text_bytes, 1, validation::kMaxTextBytes);
    else if (arg == "--max-name-bytes")
      ok = parse_number<std::size_t>(value, c.max_name_bytes, 1, validation::kMaxNameBytes);
    else if (arg == "--max-room-bytes")
      ok = parse_number<std::size_t>(value, c.max_room_bytes, 1, validation::kMaxRoomBytes);
    else if (arg == "--max-message-bytes")
      ok = parse_number<std::size_t>(value, c.max_message_bytes, 1024, c.hard_frame_bytes);
    else if (arg == "--send-queue-frames")
      ok = parse_number<std::size_t>(value, c.send_queue_frames, 16, 1000000);
    else if (arg == "--send-queue-bytes")
      ok = parse_number<std::size_t>(value, c.send_queue_bytes, 65536, std::size_t{1} << 32);
    else if (arg == "--files-dir") c.files_dir = value;
    else if (arg == "--max-upload-bytes")
      ok = parse_number<std::uint64_t>(value, c.max_upload_bytes, 1, 1ull << 40);
    else if (arg == "--clamd-socket") c.clamd_socket = value;
    else if (arg == "--assistant") {
      c.assistant = value;
      ok = value == "builtin" || value == "openai";
    } else if (arg == "--openai-base-url") c.openai_base_url = value;
    else if (arg == "--openai-model") c.openai_model = value;
    else if (arg == "--openai-key-env") c.openai_key_env = value;
    else if (arg == "--openai-ca-file") c.openai_ca_file = value;
    else if (arg == "--openai-timeout-ms")
      ok = parse_number<unsigned>(value, c.openai_timeout_ms, 100, 3600000);
    else
      return bad("unknown option " + std::string(arg));
    if (!ok) return bad("bad value for " + std::string(arg) + ": " + std::string(value));
  }
  if (c.assistant == "openai" && (c.openai_base_url.empty() || c.openai_model.empty()))
    return bad("--assistant openai needs --openai-base-url and --openai-model");
  return {c, 0};
}

}  // namespace parley::server
