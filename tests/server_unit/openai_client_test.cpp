// OpenAiClient against tests/support/openai_wire_server.py, a local server speaking the
// OpenAI streaming wire format, over plain HTTP and over HTTPS with a self-signed cert.
#include "openai_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

extern char** environ;

using namespace parley::server;
using nlohmann::json;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kGenerous = std::chrono::seconds(60);

// The wire server as a child process; killed (and its stdin closed) on destruction.
class WireServer {
 public:
  explicit WireServer(std::vector<std::string> extra_args = {}, std::vector<std::string> extra_env = {}) {
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);

    std::vector<std::string> args = {"/usr/bin/python3", PARLEY_OPENAI_WIRE_SERVER};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_fd_ = in[1];
    stdout_fd_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start the wire server");
    }
    port_ = read_port();
  }

  ~WireServer() {
    if (stdin_fd_ >= 0) close(stdin_fd_);  // the server exits when its stdin closes
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }

  WireServer(const WireServer&) = delete;
  WireServer& operator=(const WireServer&) = delete;

  unsigned short port() const { return port_; }

 private:
  unsigned short read_port() {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + kGenerous;
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("the wire server did not report its port");
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[256];
      auto n = read(stdout_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("the wire server exited before reporting its port");
      line.append(buf, static_cast<std::size_t>(n));
    }
    if (line.rfind("PORT ", 0) != 0) throw std::runtime_error("unexpected wire server output: " + line);
    return static_cast<unsigned short>(std::stoi(line.substr(5)));
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  unsigned short port_ = 0;
};

std::string base_url(const char* scheme, const char* host, unsigned short port) {
  std::string url = scheme;
  url += "://";
  url += host;
  url += ":";
  url += std::to_string(port);
  url += "/v1";
  return url;
}

// GET /requests from the wire server: every body it received so far.
json recorded_requests(unsigned short port) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(kGenerous);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{http::verb::get, "/requests", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return json::parse(res.body());
}

struct Outcome {
  std::vector<std::string> deltas{};
  std::string text{};
  std::optional<Completion> done{};
  std::string code{};
  std::string details{};
  int finishes = 0;
};

StreamCallbacks record_into(Outcome& out) {
  StreamCallbacks cb;
  cb.on_delta = [&out](const std::string& t) {
    out.deltas.push_back(t);
    out.text += t;
  };
  cb.on_done = [&out](const Completion& c) {
    out.done = c;
    ++out.finishes;
  };
  cb.on_error = [&out](const std::string& code, const std::string& details) {
    out.code = code;
    out.details = details;
    ++out.finishes;
  };
  return cb;
}

ChatRequest user_says(const std::string& text) {
  ChatRequest req;
  req.messages = json::array({{{"role", "user"}, {"content", text}}});
  return req;
}

OpenAiConfig config_for(std::string url) {
  OpenAiConfig cfg;
  cfg.base_url = std::move(url);
  cfg.model = "wire-model";
  cfg.connect_timeout = std::chrono::seconds(30);
  cfg.idle_timeout = std::chrono::seconds(30);
  return cfg;
}

// Runs one call to completion on the calling thread: the io_context runs out of work
// once the call has finished.
Outcome run_call(const OpenAiConfig& cfg, ChatRequest req) {
  net::io_context ioc;
  OpenAiClient client(ioc, cfg);
  Outcome out;
  auto call = client.stream(std::move(req), record_into(out));
  ioc.run_for(std::chrono::seconds(90));
  EXPECT_TRUE(ioc.stopped()) << "the call left work behind";
  return out;
}

class OpenAiClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<WireServer>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static OpenAiConfig config() { return config_for(base_url("http", "127.0.0.1", server_->port())); }

  static std::unique_ptr<WireServer> server_;
};

std::unique_ptr<WireServer> OpenAiClientTest::server_;

}  // namespace

TEST_F(OpenAiClientTest, EchoStreamsDeltasAndUsage) {
  ChatRequest req;
  req.messages = json::array({{{"role", "system"}, {"content", "Be very terse."}},
                              {{"role", "user"}, {"content", "hello wire world"}}});
  req.model = "test-model";
  req.temperature = 0.5;
  req.max_tokens = 64;
  Outcome out = run_call(config(), std::move(req));
  ASSERT_EQ(out.finishes, 1) << out.code << ": " << out.details;
  ASSERT_TRUE(out.done);
  EXPECT_EQ(out.text, "Echo: hello wire world");
  EXPECT_EQ(out.deltas.size(), 4u);
  EXPECT_EQ(out.done->finish_reason, "stop");
  EXPECT_EQ(out.done->model, "test-model");
  EXPECT_EQ(out.done->prompt_tokens, 6u);
  EXPECT_EQ(out.done->completion_tokens, 4u);
  EXPECT_TRUE(out.done->tool_calls.empty());

  json sent = recorded_requests(server_->port()).back();
  EXPECT_EQ(sent["model"], "test-model");
  EXPECT_EQ(sent["stream"], true);
  EXPECT_EQ(sent["stream_options"]["include_usage"], true);
  EXPECT_DOUBLE_EQ(sent["temperature"].get<double>(), 0.5);
  EXPECT_EQ(sent["max_tokens"], 64);
  EXPECT_FALSE(sent.contains("tools"));
  EXPECT_EQ(sent["messages"].size(), 2u);
}

TEST_F(OpenAiClientTest, ConfiguredModelIsTheDefault) {
  Outcome out = run_call(config(), user_says("hi"));
  ASSERT_TRUE(out.done) << out.code << ": " << out.details;
  EXPECT_EQ(out.done->model, "wire-model");
  json sent = recorded_requests(server_->port()).back();
  EXPECT_FALSE(sent.contains("temperature"));
  EXPECT_FALSE(sent.contains("max_tokens"));
}

TEST_F(OpenAiClientTest, ToolCallRoundTrip) {
  json tools = json::array({{{"type", "function"},
                             {"function",
                              {{"name", "calculator"},
                               {"description", "Evaluates arithmetic."},
                               {"parameters",
                                {{"type", "object"},
                                 {"properties", {{"expression", {{"type", "string"}}}}},
                                 {"required", json::array({"expression"})}}}}}}});
  ChatRequest first = user_says("what is calc:2+3");
  first.tools = tools;
  Outcome call = run_call(config(), first);
  ASSERT_EQ(call.finishes, 1);
  ASSERT_TRUE(call.done) << call.code << ": " << call.details;
  EXPECT_EQ(call.done->finish_reason, "tool_calls");
  ASSERT_EQ(call.done->tool_calls.size(), 1u);
  const ToolCall& tc = call.done->tool_calls[0];
  EXPECT_EQ(tc.id, "call_wire_1");
  EXPECT_EQ(tc.name, "calculator");
  EXPECT_EQ(json::parse(tc.arguments), json({{"expression", "2+3"}}));
  EXPECT_TRUE(call.text.empty());

  ChatRequest second;
  second.tools = tools;
  second.messages = first.messages;
  second.messages.push_back(
      {{"role", "assistant"},
       {"content", nullptr},
       {"tool_calls",
        json::array({{{"id", tc.id}, {"type", "function"}, {"function", {{"name", tc.name}, {"arguments", tc.arguments}}}}})}});
  second.messages.push_back({{"role", "tool"}, {"tool_call_id", tc.id}, {"content", "5"}});
  Outcome answer = run_call(config(), second);
  ASSERT_EQ(answer.finishes, 1);
  ASSERT_TRUE(answer.done) << answer.code << ": " << answer.details;
  EXPECT_EQ(answer.text, "The tool said: 5.");
  EXPECT_EQ(answer.done->finish_reason, "stop");

  json sent = recorded_requests(server_->port()).back();
  ASSERT_EQ(sent["messages"].size(), 3u);
  EXPECT_EQ(sent["messages"][2]["role"], "tool");
  EXPECT_EQ(sent["messages"][2]["tool_call_id"], "call_wire_1");
  EXPECT_EQ(sent["messages"][2]["content"], "5");
  EXPECT_EQ(sent["messages"][1]["tool_calls"][0]["function"]["name"], "calculator");
  EXPECT_EQ(sent["tools"][0]["function"]["name"], "calculator");
}

TEST_F(OpenAiClientTest, BrokenJsonIsMalformed) {
  Outcome out = run_call(config(), user_says("[broken]"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_malformed");
  EXPECT_NE(out.details.find("malformed stream"), std::string::npos) << out.details;
  EXPECT_EQ(out.text, "Hello there");  // what arrived before the bad event was delivered
}

TEST_F(OpenAiClientTest, CutStreamEndedEarly) {
  Outcome out = run_call(config(), user_says("[cut]"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_malformed");
  EXPECT_EQ(out.details, "stream ended early");
  EXPECT_EQ(out.text, "Partial answer then");
}

TEST_F(OpenAiClientTest, SilentProviderTimesOut) {
  OpenAiConfig cfg = config();
  cfg.idle_timeout = std::chrono::milliseconds(500);
  auto started = std::chrono::steady_clock::now();
  Outcome out = run_call(cfg, user_says("[hang]"));
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_timeout") << out.details;
  EXPECT_GE(took, std::chrono::milliseconds(500));
  EXPECT_LT(took, std::chrono::seconds(30));
}

TEST_F(OpenAiClientTest, HttpErrorCarriesTheMessage) {
  Outcome out = run_call(config(), user_says("[http500]"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_error");
  EXPECT_NE(out.details.find("500"), std::string::npos) << out.details;
  EXPECT_NE(out.details.find("model overloaded"), std::string::npos) << out.details;
  EXPECT_TRUE(out.deltas.empty());
}

TEST_F(OpenAiClientTest, ErrorObjectInStreamIsRefused) {
  Outcome out = run_call(config(), user_says("[refuse]"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_refused");
  EXPECT_EQ(out.details, "content refused");
}

TEST_F(OpenAiClientTest, ClosedPortIsUnreachable) {
  unsigned short port = 0;
  {
    net::io_context ioc;
    net::ip::tcp::acceptor probe(ioc, net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }  // closed again: nothing listens there now
  Outcome out = run_call(config_for(base_url("http", "127.0.0.1", port)), user_says("hi"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_unreachable") << out.details;
}

TEST_F(OpenAiClientTest, InvalidBaseUrlIsRejected) {
  net::io_context ioc;
  EXPECT_THROW(OpenAiClient(ioc, config_for("ftp://127.0.0.1/v1")), std::invalid_argument);
}

TEST_F(OpenAiClientTest, CancelInsideDeltaStopsEverything) {
  net::io_context ioc;
  OpenAiClient client(ioc, config());
  Outcome out;
  std::shared_ptr<OpenAiCall> call;
  StreamCallbacks cb = record_into(out);
  cb.on_delta = [&](const std::string& t) {
    out.deltas.push_back(t);
    call->cancel();
  };
  call = client.stream(user_says("one two three four five"), cb);
  ioc.run_for(std::chrono::seconds(90));
  EXPECT_TRUE(ioc.stopped());
  EXPECT_EQ(out.deltas.size(), 1u);
  EXPECT_EQ(out.finishes, 0);
}

TEST_F(OpenAiClientTest, CancelBeforeStartRunsNoCallback) {
  net::io_context ioc;
  OpenAiClient client(ioc, config());
  Outcome out;
  auto call = client.stream(user_says("hello"), record_into(out));
  call->cancel();
  ioc.run_for(std::chrono::seconds(90));
  EXPECT_TRUE(ioc.stopped());
  EXPECT_TRUE(out.deltas.empty());
  EXPECT_EQ(out.finishes, 0);
}

TEST_F(OpenAiClientTest, CancelFromAnotherThreadEndsAStalledCall) {
  net::io_context ioc;
  OpenAiClient client(ioc, config());  // 30 s idle timeout: only cancel() can end it soon
  std::mutex m;
  std::condition_variable cv;
  int deltas = 0;
  int finishes = 0;
  StreamCallbacks cb;
  cb.on_delta = [&](const std::string&) {
    std::lock_guard l(m);
    ++deltas;
    cv.notify_all();
  };
  cb.on_done = [&](const Completion&) {
    std::lock_guard l(m);
    ++finishes;
  };
  cb.on_error = [&](const std::string&, const std::string&) {
    std::lock_guard l(m);
    ++finishes;
  };
  auto call = client.stream(user_says("[hang]"), cb);
  auto started = std::chrono::steady_clock::now();
  std::thread runner([&] { ioc.run_for(std::chrono::seconds(90)); });
  {
    std::unique_lock l(m);
    ASSERT_TRUE(cv.wait_for(l, kGenerous, [&] { return deltas > 0; }) || (runner.join(), false));
  }
  call->cancel();
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(25));
  std::lock_guard l(m);
  EXPECT_EQ(deltas, 1);
  EXPECT_EQ(finishes, 0);
}

TEST(OpenAiClientAuth, ApiKeyIsSentAsBearerToken) {
  WireServer server({}, {"OPENAI_WIRE_EXPECT_KEY=sk-wire-test"});
  OpenAiConfig cfg = config_for(base_url("http", "127.0.0.1", server.port()));
  cfg.api_key = "sk-wire-test";
  Outcome ok = run_call(cfg, user_says("hi"));
  EXPECT_TRUE(ok.done) << ok.code << ": " << ok.details;
  cfg.api_key.clear();
  Outcome denied = run_call(cfg, user_says("hi"));
  ASSERT_EQ(denied.finishes, 1);
  EXPECT_EQ(denied.code, "provider_error");
  EXPECT_NE(denied.details.find("401"), std::string::npos) << denied.details;
  EXPECT_NE(denied.details.find("invalid api key"), std::string::npos) << denied.details;
}

namespace {

// A self-signed certificate for 127.0.0.1 in a temporary directory.
class TlsFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/parley-openai-tls-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                      "-addext subjectAltName=IP:127.0.0.1 -keyout '";
    cmd += (dir_ / "key.pem").string();
    cmd += "' -out '";
    cmd += (dir_ / "cert.pem").string();
    cmd += "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    server_ = std::make_unique<WireServer>(
        std::vector<std::string>{"--tls", (dir_ / "cert.pem").string(), (dir_ / "key.pem").string()});
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static std::filesystem::path dir_;
  static std::unique_ptr<WireServer> server_;
};

std::filesystem::path TlsFixture::dir_;
std::unique_ptr<WireServer> TlsFixture::server_;

using OpenAiClientTls = TlsFixture;

}  // namespace

TEST_F(OpenAiClientTls, TrustedCertificateStreams) {
  ASSERT_TRUE(server_);
  OpenAiConfig cfg = config_for(base_url("https", "127.0.0.1", server_->port()));
  cfg.ca_file = (dir_ / "cert.pem").string();
  Outcome out = run_call(cfg, user_says("over tls"));
  ASSERT_EQ(out.finishes, 1);
  ASSERT_TRUE(out.done) << out.code << ": " << out.details;
  EXPECT_EQ(out.text, "Echo: over tls");
  EXPECT_EQ(out.done->completion_tokens, 3u);
}

TEST_F(OpenAiClientTls, CutStreamOverTlsEndedEarly) {
  ASSERT_TRUE(server_);
  OpenAiConfig cfg = config_for(base_url("https", "127.0.0.1", server_->port()));
  cfg.ca_file = (dir_ / "cert.pem").string();
  Outcome out = run_call(cfg, user_says("[cut]"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_malformed");
  EXPECT_EQ(out.details, "stream ended early");
}

TEST_F(OpenAiClientTls, UntrustedCertificateIsUnreachable) {
  ASSERT_TRUE(server_);
  Outcome out = run_call(config_for(base_url("https", "127.0.0.1", server_->port())), user_says("hi"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_unreachable");
  EXPECT_NE(out.details.find("certificate verify failed"), std::string::npos) << out.details;
}

TEST_F(OpenAiClientTls, HostNameMustMatchTheCertificate) {
  ASSERT_TRUE(server_);
  // Trusted CA, but the certificate names 127.0.0.1, not localhost.
  OpenAiConfig cfg = config_for(base_url("https", "localhost", server_->port()));
  cfg.ca_file = (dir_ / "cert.pem").string();
  Outcome out = run_call(cfg, user_says("hi"));
  ASSERT_EQ(out.finishes, 1);
  EXPECT_EQ(out.code, "provider_unreachable") << out.details;
}
