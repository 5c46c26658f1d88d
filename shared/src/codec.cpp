// The JSON wire form of protocol.hpp. Nothing here may throw: the wasm client is built
// without exceptions, so values are read through get_ptr (null on a type mismatch)
// rather than get<>() or at(), and dumping replaces invalid UTF-8 instead of throwing.
#include "parley/codec.hpp"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "parley/error_codes.hpp"
#include "parley/validation.hpp"

namespace parley::protocol {
namespace {

using Json = nlohmann::json;
// Encoding keeps insertion order so every frame starts with "v" and "type".
using OrderedJson = nlohmann::ordered_json;

// ---- encoding -------------------------------------------------------------------------

// Sets j[key] to the JSON object kept as `text` (ChatMessage.data and the like); nothing
// when empty. The text was made from JSON by the server; a broken one is dropped, never
// sent broken.
void put_object(OrderedJson& j, const char* key, const std::string& text) {
  if (text.empty()) return;
  OrderedJson value = OrderedJson::parse(text, nullptr, false);
  if (value.is_object()) j[key] = std::move(value);
}

void to_json(OrderedJson& j, const ChatMessage& m) {
  j["room"] = m.room;
  j["seq"] = m.seq;
  j["author"] = m.author;
  j["kind"] = to_string(m.kind);
  j["text"] = m.text;
  j["client_id"] = m.client_id;
  j["gen_id"] = m.gen_id;
  j["status"] = to_string(m.status);
  j["ts_ms"] = m.ts_ms;
  if (m.ref != 0) j["ref"] = m.ref;
  put_object(j, "data", m.data);
}

OrderedJson object_of(const ChatMessage& m) {
  OrderedJson j = OrderedJson::object();
  to_json(j, m);
  return j;
}

OrderedJson array_of(const std::vector<ChatMessage>& messages) {
  OrderedJson out = OrderedJson::array();
  for (const ChatMessage& message : messages) out.push_back(object_of(message));
  return out;
}

void to_json(OrderedJson& j, const Hello& m) {
  j["name"] = m.name;
  j["client"] = m.client;
  if (!m.token.empty()) j["token"] = m.token;
}

void to_json(OrderedJson& j, const Auth& m) { j["token"] = m.token; }

void to_json(OrderedJson& j, const Authed& m) {
  j["user"] = m.user;
  j["role"] = m.role;
  j["expires_at"] = m.expires_at;
}

void to_json(OrderedJson& j, const Join& m) {
  j["room"] = m.room;
  j["history_limit"] = m.history_limit;
  if (m.after_seq) {
    j["epoch"] = m.epoch;
    j["after_seq"] = *m.after_seq;
  }
}

void put_options(OrderedJson& j, const std::optional<GenerationOptions>& options) {
  if (!options) return;
  OrderedJson o = OrderedJson::object();
  if (!options->model.empty()) o["model"] = options->model;
  if (options->temperature) o["temperature"] = *options->temperature;
  if (options->max_tokens != 0) o["max_tokens"] = options->max_tokens;
  if (!options->system_prompt.empty()) o["system_prompt"] = options->system_prompt;
  if (options->history) o["history"] = *options->history;
  j["options"] = std::move(o);
}

void to_json(OrderedJson& j, const Send& m) {
  j["room"] = m.room;
  j["client_id"] = m.client_id;
  j["text"] = m.text;
  put_options(j, m.options);
  if (m.edits != 0) j["edits"] = m.edits;
}

void to_json(OrderedJson& j, const Document& m) {
  j["id"] = m.id;
  j["room"] = m.room;
  j["name"] = m.name;
  j["media_type"] = m.media_type;
  j["kind"] = m.kind;
  j["size"] = m.size;
  j["sha256"] = m.sha256;
  j["uploader"] = m.uploader;
  j["ts_ms"] = m.ts_ms;
  j["state"] = m.state;
  j["progress"] = m.progress;
  j["passages"] = m.passages;
  if (!m.error.empty()) j["error"] = m.error;
}

OrderedJson object_of(const Document& m) {
  OrderedJson j = OrderedJson::object();
  to_json(j, m);
  return j;
}

void to_json(OrderedJson& j, const UploadInit& m) {
  j["room"] = m.room;
  j["upload_id"] = m.upload_id;
  j["file_name"] = m.file_name;
  j["file_size"] = m.file_size;
  j["media_type"] = m.media_type;
}
void to_json(OrderedJson& j, const UploadReady& m) {
  j["upload_id"] = m.upload_id;
  j["next_chunk"] = m.next_chunk;
  j["chunk_bytes"] = m.chunk_bytes;
  j["total_chunks"] = m.total_chunks;
}
void to_json(OrderedJson& j, const UploadChunk& m) {
  j["upload_id"] = m.upload_id;
  j["index"] = m.index;
  j["data"] = m.data;
}
void to_json(OrderedJson& j, const UploadProgress& m) {
  j["upload_id"] = m.upload_id;
  j["next_chunk"] = m.next_chunk;
  j["received_bytes"] = m.received_bytes;
}
void to_json(OrderedJson& j, const UploadFinish& m) {
  j["upload_id"] = m.upload_id;
  j["sha256"] = m.sha256;
}
void to_json(OrderedJson& j, const UploadDone& m) {
  j["upload_id"] = m.upload_id;
  j["document"] = object_of(m.document);
}
void to_json(OrderedJson& j, const ListDocuments& m) { j["room"] = m.room; }
void to_json(OrderedJson& j, const DocumentList& m) {
  j["room"] = m.room;
  OrderedJson docs = OrderedJson::array();
  for (const Document& d : m.documents) docs.push_back(object_of(d));
  j["documents"] = std::move(docs);
}
void to_json(OrderedJson& j, const DocumentUpdate& m) { j["document"] = object_of(m.document); }
void to_json(OrderedJson& j, const DeleteDocument& m) {
  j["room"] = m.room;
  j["document_id"] = m.document_id;
}
void to_json(OrderedJson& j, const DocumentDeleted& m) {
  j["room"] = m.room;
  j["document_id"] = m.document_id;
}

void to_json(OrderedJson& j, const ComponentSubmit& m) {
  j["room"] = m.room;
  j["seq"] = m.seq;
  j["action"] = m.action;
  put_object(j, "values", m.values);
}

void to_json(OrderedJson& j, const Regenerate& m) {
  j["room"] = m.room;
  j["seq"] = m.seq;
  put_options(j, m.options);
}

void to_json(OrderedJson& j, const Ping& m) { j["nonce"] = m.nonce; }

void to_json(OrderedJson& j, const Welcome& m) {
  j["user"] = m.user;
  j["server"] = m.server;
  j["heartbeat_ms"] = m.heartbeat_ms;
  j["max_message_bytes"] = m.max_message_bytes;
  j["max_text_bytes"] = m.max_text_bytes;
}

void to_json(OrderedJson& j, const Joined& m) {
  j["room"] = m.room;
  j["epoch"] = m.epoch;
  j["head_seq"] = m.head_seq;
  j["history"] = array_of(m.history);
  j["resume"] = to_string(m.resume);
  j["more"] = m.more;
}

void to_json(OrderedJson& j, const Ack& m) {
  j["room"] = m.room;
  j["client_id"] = m.client_id;
  j["seq"] = m.seq;
  j["duplicate"] = m.duplicate;
}

void to_json(OrderedJson& j, const Posted& m) { j["message"] = object_of(m.message); }

void to_json(OrderedJson& j, const StreamStarted& m) {
  j["room"] = m.room;
  j["gen_id"] = m.gen_id;
  j["seq"] = m.seq;
  j["reply_to"] = m.reply_to;
  j["author"] = m.author;
  j["ts_ms"] = m.ts_ms;
}

void to_json(OrderedJson& j, const StreamDelta& m) {
  j["room"] = m.room;
  j["gen_id"] = m.gen_id;
  j["offset"] = m.offset;
  j["text"] = m.text;
}

void to_json(OrderedJson& j, const StreamCompleted& m) {
  j["room"] = m.room;
  j["gen_id"] = m.gen_id;
  j["seq"] = m.seq;
  j["reply_seq"] = m.reply_seq;
  j["text"] = m.text;
  j["status"] = to_string(m.status);
  put_object(j, "data", m.data);
}

void to_json(OrderedJson& j, const Error& m) {
  j["code"] = m.code;
  j["message"] = m.message;
  j["ref"] = m.ref;
  if (m.retry_after_ms != 0) j["retry_after_ms"] = m.retry_after_ms;
}

void to_json(OrderedJson& j, const Pong& m) { j["nonce"] = m.nonce; }

void to_json(OrderedJson& j, const RoomSummary& m) {
  j["room"] = m.room;
  j["room_type"] = to_string(m.type);
  j["owner"] = m.owner;
  j["assistant"] = to_string(m.assistant);
  j["role"] = to_string(m.role);
  j["epoch"] = m.epoch;
  j["head_seq"] = m.head_seq;
  j["read_seq"] = m.read_seq;
  j["unread"] = m.unread;
}

OrderedJson object_of(const RoomSummary& m) {
  OrderedJson j = OrderedJson::object();
  to_json(j, m);
  return j;
}

void to_json(OrderedJson& j, const CreateRoom& m) {
  j["room"] = m.room;
  j["room_type"] = to_string(m.room_type);
  j["assistant"] = to_string(m.assistant);
}

void to_json(OrderedJson& j, const Leave& m) { j["room"] = m.room; }
void to_json(OrderedJson& j, const Unsubscribe& m) { j["room"] = m.room; }

void to_json(OrderedJson& j, const StateChangeRequest& m) {
  j["room"] = m.room;
  j["state"] = m.state;
  if (!m.reason.empty()) j["reason"] = m.reason;
}

void to_json(OrderedJson& j, const StateUpdate& m) {
  j["room"] = m.room;
  j["state"] = m.state;
  j["previous"] = m.previous;
  j["user"] = m.user;
  j["reason"] = m.reason;
  j["ts_ms"] = m.ts_ms;
}

void to_json(OrderedJson& j, const TranscriptUpdate& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["interim"] = m.interim;
  j["final"] = m.final_text;
  j["confidence"] = m.confidence;
}

void to_json(OrderedJson& j, const SpeechEvent& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["event"] = m.event;
  put_object(j, "data", m.data);
}

void to_json(OrderedJson& j, const StopGeneration& m) {
  j["room"] = m.room;
  j["gen_id"] = m.gen_id;
}
void to_json(OrderedJson& j, const Unsubscribed& m) { j["room"] = m.room; }

void to_json(OrderedJson& j, const FetchHistory& m) {
  j["room"] = m.room;
  j["before_seq"] = m.before_seq;
  j["limit"] = m.limit;
}

void to_json(OrderedJson& j, const HistoryPage& m) {
  j["room"] = m.room;
  j["epoch"] = m.epoch;
  j["before_seq"] = m.before_seq;
  j["messages"] = array_of(m.messages);
  j["more"] = m.more;
}
void to_json(OrderedJson& j, const DeleteRoom& m) { j["room"] = m.room; }
void to_json(OrderedJson&, const ListRooms&) {}
void to_json(OrderedJson& j, const GetRoom& m) { j["room"] = m.room; }

void to_json(OrderedJson& j, const Invite& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["role"] = to_string(m.role);
}

void to_json(OrderedJson& j, const RemoveMember& m) {
  j["room"] = m.room;
  j["user"] = m.user;
}

void to_json(OrderedJson& j, const SetAssistant& m) {
  j["room"] = m.room;
  j["assistant"] = to_string(m.assistant);
}

void to_json(OrderedJson& j, const RoomDetails& m) {
  to_json(j, m.summary);
  OrderedJson members = OrderedJson::array();
  for (const Member& member : m.members)
    members.push_back(OrderedJson{{"user", member.user}, {"role", to_string(member.role)}});
  j["members"] = std::move(members);
}

void to_json(OrderedJson& j, const RoomList& m) {
  OrderedJson rooms = OrderedJson::array();
  for (const RoomSummary& r : m.rooms) rooms.push_back(object_of(r));
  j["rooms"] = std::move(rooms);
}

void to_json(OrderedJson& j, const Left& m) { j["room"] = m.room; }
void to_json(OrderedJson& j, const RoomDeleted& m) { j["room"] = m.room; }

void to_json(OrderedJson& j, const Typing& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["active"] = m.active;
}

void to_json(OrderedJson& j, const Mark& m) {
  j["room"] = m.room;
  j["delivered"] = m.delivered;
  j["read"] = m.read;
}

void to_json(OrderedJson& j, const Present& m) {
  j["room"] = m.room;
  j["users"] = m.users;
}

void to_json(OrderedJson& j, const Presence& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["online"] = m.online;
}

void to_json(OrderedJson& j, const Receipt& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["delivered"] = m.delivered;
  j["read"] = m.read;
}

void to_json(OrderedJson& j, const MemberChanged& m) {
  j["room"] = m.room;
  j["user"] = m.user;
  j["role"] = to_string(m.role);
  j["removed"] = m.removed;
}

// ---- decoding -------------------------------------------------------------------------

// Where a JSON object field is kept as text (ChatMessage.data).
struct ObjectText {
  std::string& text;
  ObjectText& self() { return *this; }
};

// Reads typed values out of parsed JSON. The first failure is kept, with the path of
// the value that caused it (clangd's fromJSON(..., Path) style).
class Reader {
 public:
  bool fail(const std::string& path, std::string_view what) {
    if (failure_.empty()) failure_ = path + ": " + std::string(what);
    return false;
  }
  const std::string& failure() const { return failure_; }

  bool read(const Json& v, std::string& out, const std::string& path) {
    const auto* s = v.get_ptr<const Json::string_t*>();
    if (s == nullptr) return fail(path, "expected string");
    out = *s;
    return true;
  }

  bool read(const Json& v, double& out, const std::string& path) {
    if (!v.is_number()) return fail(path, "expected number");
    out = v.get<double>();
    return true;
  }

  bool read(const Json& v, bool& out, const std::string& path) {
    const auto* b = v.get_ptr<const Json::boolean_t*>();
    if (b == nullptr) return fail(path, "expected boolean");
    out = *b;
    return true;
  }

  bool read(const Json& v, std::uint64_t& out, const std::string& path) {
    if (const auto* u = v.get_ptr<const Json::number_unsigned_t*>()) {
      out = *u;
      return true;
    }
    // Checked after the unsigned case, so only negative values and "-0" reach here.
    const auto* i = v.get_ptr<const Json::number_integer_t*>();
    if (i != nullptr && *i == 0) {
      out = 0;
      return true;
    }
    return fail(path, "expected unsigned integer");
  }

  bool read(const Json& v, std::uint32_t& out, const std::string& path) {
    std::uint64_t wide = 0;
    if (!read(v, wide, path)) return false;
    if (wide > std::numeric_limits<std::uint32_t>::max()) {
      return fail(path, "expected unsigned 32-bit integer");
    }
    out = static_cast<std::uint32_t>(wide);
    return true;
  }

  bool read(const Json& v, std::int64_t& out, const std::string& path) {
    // Unsigned first: get_ptr<number_integer_t*> also answers for unsigned values.
    if (const auto* u = v.get_ptr<const Json::number_unsigned_t*>()) {
      if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return fail(path, "expected 64-bit integer");
      }
      out = static_cast<std::int64_t>(*u);
      return true;
    }
    if (const auto* i = v.get_ptr<const Json::number_integer_t*>()) {
      out = *i;
      return true;
    }
    return fail(path, "expected 64-bit integer");
  }

  bool read(const Json& v, MessageKind& out, const std::string& path) {
    std::string s;
    if (!read(v, s, path)) return false;
    for (MessageKind k : {MessageKind::user, MessageKind::assistant, MessageKind::system,
                          MessageKind::end, MessageKind::step}) {
      if (s == to_string(k)) {
        out = k;
        return true;
      }
    }
    return fail(path, "expected \"user\", \"assistant\", \"system\", \"end\" or \"step\"");
  }

  bool read(const Json& v, Resume& out, const std::string& path) {
    std::string s;
    if (!read(v, s, path)) return false;
    for (Resume r : {Resume::none, Resume::ok, Resume::reset}) {
      if (s == to_string(r)) {
        out = r;
        return true;
      }
    }
    return fail(path, "expected \"none\", \"ok\" or \"reset\"");
  }

  // An enum sent as one of its words.
  template <class E, std::size_t N>
  bool read_word(const Json& v, E& out, const std::string& path, const E (&values)[N]) {
    std::string s;
    if (!read(v, s, path)) return false;
    std::string expected;
    for (E e : values) {
      if (s == to_string(e)) {
        out = e;
        return true;
      }
      if (!expected.empty()) expected += ", ";
      expected += std::string("\"") + to_string(e) + "\"";
    }
    return fail(path, "expected one of " + expected);
  }

  bool read(const Json& v, RoomType& out, const std::string& path) {
    static constexpr RoomType kAll[] = {RoomType::private_, RoomType::shared, RoomType::group};
    return read_word(v, out, path, kAll);
  }

  bool read(const Json& v, AssistantMode& out, const std::string& path) {
    static constexpr AssistantMode kAll[] = {AssistantMode::always, AssistantMode::mention,
                                             AssistantMode::off};
    return read_word(v, out, path, kAll);
  }

  bool read(const Json& v, MemberRole& out, const std::string& path) {
    static constexpr MemberRole kAll[] = {MemberRole::owner, MemberRole::admin,
                                          MemberRole::member};
    return read_word(v, out, path, kAll);
  }

  bool read(const Json& v, Member& out, const std::string& path);
  bool read(const Json& v, RoomSummary& out, const std::string& path);
  bool read(const Json& v, Document& out, const std::string& path);

  template <class T>
  bool read(const Json& v, std::vector<T>& out, const std::string& path) {
    if (!v.is_array()) return fail(path, "expected array");
    out.clear();
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      T item;
      if (!read(v[i], item, path + "[" + std::to_string(i) + "]")) return false;
      out.push_back(std::move(item));
    }
    return true;
  }

  template <class T>
  bool read(const Json& v, std::optional<T>& out, const std::string& path) {
    T value{};
    if (!read(v, value, path)) return false;
    out = std::move(value);
    return true;
  }

  bool read(const Json& v, GenerationOptions& out, const std::string& path);

  bool read(const Json& v, MessageStatus& out, const std::string& path) {
    std::string s;
    if (!read(v, s, path)) return false;
    for (MessageStatus st : {MessageStatus::complete, MessageStatus::streaming,
                             MessageStatus::interrupted, MessageStatus::stopped,
                             MessageStatus::error}) {
      if (s == to_string(st)) {
        out = st;
        return true;
      }
    }
    return fail(path,
                "expected \"complete\", \"streaming\", \"interrupted\", \"stopped\" or \"error\"");
  }

  bool read(const Json& v, ChatMessage& out, const std::string& path);

  // A JSON object kept as its compact text (ChatMessage.data).
  bool read(const Json& v, ObjectText& out, const std::string& path) {
    if (!v.is_object()) return fail(path, "expected object");
    out.text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    return true;
  }

  bool read(const Json& v, std::vector<ChatMessage>& out, const std::string& path) {
    if (!v.is_array()) return fail(path, "expected array");
    out.clear();
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      ChatMessage m;
      if (!read(v[i], m, path + "[" + std::to_string(i) + "]")) return false;
      out.push_back(std::move(m));
    }
    return true;
  }

 private:
  std::string failure_;
};

// One JSON object being read field by field; fields not asked for are ignored.
class Object {
 public:
  Object(Reader& reader, const Json& object, std::string path)
      : reader_(reader), object_(object), path_(std::move(path)) {}

  template <class T>
  bool required(const char* key, T& out) {
    auto it = object_.find(key);
    if (it == object_.end()) return reader_.fail(path_ + "." + key, "missing required field");
    return reader_.read(*it, out, path_ + "." + key);
  }

  // Leaves `out` at its default when the field is absent.
  template <class T>
  bool optional(const char* key, T& out) {
    auto it = object_.find(key);
    if (it == object_.end()) return true;
    return reader_.read(*it, out, path_ + "." + key);
  }

 private:
  Reader& reader_;
  const Json& object_;
  std::string path_;
};

bool from_json(Object& o, ChatMessage& m) {
  return o.required("room", m.room) && o.required("seq", m.seq) && o.required("author", m.author) &&
         o.required("kind", m.kind) && o.required("text", m.text) &&
         o.optional("client_id", m.client_id) && o.optional("gen_id", m.gen_id) &&
         o.required("status", m.status) && o.required("ts_ms", m.ts_ms) &&
         o.optional("ref", m.ref) && o.optional("data", ObjectText{m.data}.self());
}

bool Reader::read(const Json& v, ChatMessage& out, const std::string& path) {
  if (!v.is_object()) return fail(path, "expected object");
  Object o(*this, v, path);
  return from_json(o, out);
}

bool from_json(Object& o, Hello& m) {
  return o.required("name", m.name) && o.optional("client", m.client) &&
         o.optional("token", m.token);
}

bool from_json(Object& o, Auth& m) { return o.required("token", m.token); }

bool from_json(Object& o, Authed& m) {
  return o.required("user", m.user) && o.required("role", m.role) &&
         o.required("expires_at", m.expires_at);
}

bool from_json(Object& o, Join& m) {
  return o.required("room", m.room) && o.optional("history_limit", m.history_limit) &&
         o.optional("epoch", m.epoch) && o.optional("after_seq", m.after_seq);
}

bool from_json(Object& o, Send& m) {
  return o.required("room", m.room) && o.required("client_id", m.client_id) &&
         o.required("text", m.text) && o.optional("options", m.options) &&
         o.optional("edits", m.edits);
}

bool from_json(Object& o, Document& m) {
  return o.required("id", m.id) && o.required("room", m.room) && o.required("name", m.name) &&
         o.required("media_type", m.media_type) && o.required("kind", m.kind) &&
         o.required("size", m.size) && o.required("sha256", m.sha256) &&
         o.required("uploader", m.uploader) && o.required("ts_ms", m.ts_ms) &&
         o.required("state", m.state) && o.optional("progress", m.progress) &&
         o.optional("passages", m.passages) && o.optional("error", m.error);
}

bool Reader::read(const Json& v, Document& out, const std::string& path) {
  if (!v.is_object()) return fail(path, "expected object");
  Object o(*this, v, path);
  return from_json(o, out);
}

bool from_json(Object& o, UploadInit& m) {
  return o.required("room", m.room) && o.required("upload_id", m.upload_id) &&
         o.required("file_name", m.file_name) && o.required("file_size", m.file_size) &&
         o.required("media_type", m.media_type);
}
bool from_json(Object& o, UploadReady& m) {
  return o.required("upload_id", m.upload_id) && o.required("next_chunk", m.next_chunk) &&
         o.required("chunk_bytes", m.chunk_bytes) && o.required("total_chunks", m.total_chunks);
}
bool from_json(Object& o, UploadChunk& m) {
  return o.required("upload_id", m.upload_id) && o.required("index", m.index) &&
         o.required("data", m.data);
}
bool from_json(Object& o, UploadProgress& m) {
  return o.required("upload_id", m.upload_id) && o.required("next_chunk", m.next_chunk) &&
         o.required("received_bytes", m.received_bytes);
}
bool from_json(Object& o, UploadFinish& m) {
  return o.required("upload_id", m.upload_id) && o.required("sha256", m.sha256);
}
bool from_json(Object& o, UploadDone& m) {
  return o.required("upload_id", m.upload_id) && o.required("document", m.document);
}
bool from_json(Object& o, ListDocuments& m) { return o.required("room", m.room); }
bool from_json(Object& o, DocumentList& m) {
  return o.required("room", m.room) && o.required("documents", m.documents);
}
bool from_json(Object& o, DocumentUpdate& m) { return o.required("document", m.document); }
bool from_json(Object& o, DeleteDocument& m) {
  return o.required("room", m.room) && o.required("document_id", m.document_id);
}
bool from_json(Object& o, DocumentDeleted& m) {
  return o.required("room", m.room) && o.required("document_id", m.document_id);
}

bool from_json(Object& o, ComponentSubmit& m) {
  return o.required("room", m.room) && o.required("seq", m.seq) &&
         o.optional("action", m.action) && o.optional("values", ObjectText{m.values}.self());
}

bool from_json(Object& o, Regenerate& m) {
  return o.required("room", m.room) && o.required("seq", m.seq) &&
         o.optional("options", m.options);
}

bool Reader::read(const Json& v, GenerationOptions& out, const std::string& path) {
  if (!v.is_object()) return fail(path, "expected object");
  Object o(*this, v, path);
  return o.optional("model", out.model) && o.optional("temperature", out.temperature) &&
         o.optional("max_tokens", out.max_tokens) &&
         o.optional("system_prompt", out.system_prompt) && o.optional("history", out.history);
}

bool from_json(Object& o, Ping& m) { return o.required("nonce", m.nonce); }

bool from_json(Object& o, Welcome& m) {
  return o.required("user", m.user) && o.required("server", m.server) &&
         o.required("heartbeat_ms", m.heartbeat_ms) &&
         o.required("max_message_bytes", m.max_message_bytes) &&
         o.optional("max_text_bytes", m.max_text_bytes);
}

bool from_json(Object& o, Joined& m) {
  return o.required("room", m.room) && o.required("epoch", m.epoch) &&
         o.required("head_seq", m.head_seq) && o.required("history", m.history) &&
         o.optional("resume", m.resume) && o.optional("more", m.more);
}

bool from_json(Object& o, Ack& m) {
  return o.required("room", m.room) && o.required("client_id", m.client_id) &&
         o.required("seq", m.seq) && o.optional("duplicate", m.duplicate);
}

bool from_json(Object& o, Posted& m) { return o.required("message", m.message); }

bool from_json(Object& o, StreamStarted& m) {
  return o.required("room", m.room) && o.required("gen_id", m.gen_id) && o.required("seq", m.seq) &&
         o.required("reply_to", m.reply_to) && o.required("author", m.author) &&
         o.required("ts_ms", m.ts_ms);
}

bool from_json(Object& o, StreamDelta& m) {
  return o.required("room", m.room) && o.required("gen_id", m.gen_id) &&
         o.required("offset", m.offset) && o.required("text", m.text);
}

bool from_json(Object& o, StreamCompleted& m) {
  return o.required("room", m.room) && o.required("gen_id", m.gen_id) && o.required("seq", m.seq) &&
         o.required("reply_seq", m.reply_seq) && o.required("text", m.text) &&
         o.required("status", m.status) && o.optional("data", ObjectText{m.data}.self());
}

bool from_json(Object& o, Error& m) {
  return o.required("code", m.code) && o.optional("message", m.message) &&
         o.optional("ref", m.ref) && o.optional("retry_after_ms", m.retry_after_ms);
}

bool from_json(Object& o, Pong& m) { return o.required("nonce", m.nonce); }

bool from_json(Object& o, Member& m) { return o.required("user", m.user) && o.required("role", m.role); }

bool from_json(Object& o, RoomSummary& m) {
  return o.required("room", m.room) && o.required("room_type", m.type) &&
         o.required("owner", m.owner) && o.required("assistant", m.assistant) &&
         o.required("role", m.role) && o.required("epoch", m.epoch) &&
         o.required("head_seq", m.head_seq) && o.optional("read_seq", m.read_seq) &&
         o.optional("unread", m.unread);
}

bool Reader::read(const Json& v, Member& out, const std::string& path) {
  if (!v.is_object()) return fail(path, "expected object");
  Object o(*this, v, path);
  return from_json(o, out);
}

bool Reader::read(const Json& v, RoomSummary& out, const std::string& path) {
  if (!v.is_object()) return fail(path, "expected object");
  Object o(*this, v, path);
  return from_json(o, out);
}

bool from_json(Object& o, CreateRoom& m) {
  return o.required("room", m.room) && o.optional("room_type", m.room_type) &&
         o.optional("assistant", m.assistant);
}

bool from_json(Object& o, Leave& m) { return o.required("room", m.room); }
bool from_json(Object& o, Unsubscribe& m) { return o.required("room", m.room); }

bool from_json(Object& o, StateChangeRequest& m) {
  return o.required("room", m.room) && o.required("state", m.state) &&
         o.optional("reason", m.reason);
}

bool from_json(Object& o, StateUpdate& m) {
  return o.required("room", m.room) && o.required("state", m.state) &&
         o.required("previous", m.previous) && o.optional("user", m.user) &&
         o.optional("reason", m.reason) && o.required("ts_ms", m.ts_ms);
}

bool from_json(Object& o, TranscriptUpdate& m) {
  return o.required("room", m.room) && o.optional("user", m.user) &&
         o.optional("interim", m.interim) && o.optional("final", m.final_text) &&
         o.optional("confidence", m.confidence);
}

bool from_json(Object& o, SpeechEvent& m) {
  return o.required("room", m.room) && o.optional("user", m.user) &&
         o.required("event", m.event) && o.optional("data", ObjectText{m.data}.self());
}

bool from_json(Object& o, StopGeneration& m) {
  return o.required("room", m.room) && o.required("gen_id", m.gen_id);
}
bool from_json(Object& o, Unsubscribed& m) { return o.required("room", m.room); }

bool from_json(Object& o, FetchHistory& m) {
  return o.required("room", m.room) && o.required("before_seq", m.before_seq) &&
         o.optional("limit", m.limit);
}

bool from_json(Object& o, HistoryPage& m) {
  return o.required("room", m.room) && o.required("epoch", m.epoch) &&
         o.required("before_seq", m.before_seq) && o.required("messages", m.messages) &&
         o.optional("more", m.more);
}
bool from_json(Object& o, DeleteRoom& m) { return o.required("room", m.room); }
bool from_json(Object&, ListRooms&) { return true; }
bool from_json(Object& o, GetRoom& m) { return o.required("room", m.room); }

bool from_json(Object& o, Invite& m) {
  return o.required("room", m.room) && o.required("user", m.user) && o.optional("role", m.role);
}

bool from_json(Object& o, RemoveMember& m) {
  return o.required("room", m.room) && o.required("user", m.user);
}

bool from_json(Object& o, SetAssistant& m) {
  return o.required("room", m.room) && o.required("assistant", m.assistant);
}

bool from_json(Object& o, RoomDetails& m) {
  return from_json(o, m.summary) && o.required("members", m.members);
}

bool from_json(Object& o, RoomList& m) { return o.required("rooms", m.rooms); }
bool from_json(Object& o, Left& m) { return o.required("room", m.room); }
bool from_json(Object& o, RoomDeleted& m) { return o.required("room", m.room); }

bool from_json(Object& o, Typing& m) {
  return o.required("room", m.room) && o.optional("user", m.user) &&
         o.optional("active", m.active);
}

bool from_json(Object& o, Mark& m) {
  return o.required("room", m.room) && o.optional("delivered", m.delivered) &&
         o.optional("read", m.read);
}

bool from_json(Object& o, Present& m) { return o.required("room", m.room) && o.required("users", m.users); }

bool from_json(Object& o, Presence& m) {
  return o.required("room", m.room) && o.required("user", m.user) && o.required("online", m.online);
}

bool from_json(Object& o, Receipt& m) {
  return o.required("room", m.room) && o.required("user", m.user) &&
         o.required("delivered", m.delivered) && o.required("read", m.read);
}

bool from_json(Object& o, MemberChanged& m) {
  return o.required("room", m.room) && o.required("user", m.user) &&
         o.required("role", m.role) && o.optional("removed", m.removed);
}

// ---- dispatch on the tag --------------------------------------------------------------

using BodyDecoder = bool (*)(Reader&, const Json&, const char* tag, Message& out);

template <class T>
bool decode_body(Reader& reader, const Json& j, const char* tag, Message& out) {
  T m;
  Object o(reader, j, tag);
  if (!from_json(o, m)) return false;
  out = std::move(m);
  return true;
}

struct Decoder {
  const char* tag;
  BodyDecoder decode;
};

// The tags are type_name()'s; the round-trip tests hold the two lists together.
constexpr Decoder kDecoders[] = {
    {"hello", &decode_body<Hello>},
    {"join", &decode_body<Join>},
    {"send", &decode_body<Send>},
    {"ping", &decode_body<Ping>},
    {"welcome", &decode_body<Welcome>},
    {"joined", &decode_body<Joined>},
    {"ack", &decode_body<Ack>},
    {"message", &decode_body<Posted>},
    {"stream_started", &decode_body<StreamStarted>},
    {"stream_delta", &decode_body<StreamDelta>},
    {"stream_completed", &decode_body<StreamCompleted>},
    {"error", &decode_body<Error>},
    {"pong", &decode_body<Pong>},
    {"create_room", &decode_body<CreateRoom>},
    {"leave", &decode_body<Leave>},
    {"delete_room", &decode_body<DeleteRoom>},
    {"list_rooms", &decode_body<ListRooms>},
    {"get_room", &decode_body<GetRoom>},
    {"invite", &decode_body<Invite>},
    {"remove_member", &decode_body<RemoveMember>},
    {"set_assistant", &decode_body<SetAssistant>},
    {"room", &decode_body<RoomDetails>},
    {"rooms", &decode_body<RoomList>},
    {"left", &decode_body<Left>},
    {"room_deleted", &decode_body<RoomDeleted>},
    {"member", &decode_body<MemberChanged>},
    {"typing", &decode_body<Typing>},
    {"mark", &decode_body<Mark>},
    {"present", &decode_body<Present>},
    {"presence", &decode_body<Presence>},
    {"receipt", &decode_body<Receipt>},
    {"auth", &decode_body<Auth>},
    {"authed", &decode_body<Authed>},
    {"unsubscribe", &decode_body<Unsubscribe>},
    {"unsubscribed", &decode_body<Unsubscribed>},
    {"fetch_history", &decode_body<FetchHistory>},
    {"history_page", &decode_body<HistoryPage>},
    {"stop", &decode_body<StopGeneration>},
    {"regenerate", &decode_body<Regenerate>},
    {"component_submit", &decode_body<ComponentSubmit>},
    {"upload_init", &decode_body<UploadInit>},
    {"upload_ready", &decode_body<UploadReady>},
    {"upload_chunk", &decode_body<UploadChunk>},
    {"upload_progress", &decode_body<UploadProgress>},
    {"upload_finish", &decode_body<UploadFinish>},
    {"upload_done", &decode_body<UploadDone>},
    {"list_documents", &decode_body<ListDocuments>},
    {"documents", &decode_body<DocumentList>},
    {"document", &decode_body<DocumentUpdate>},
    {"delete_document", &decode_body<DeleteDocument>},
    {"document_deleted", &decode_body<DocumentDeleted>},
    {"state_change_request", &decode_body<StateChangeRequest>},
    {"state_update", &decode_body<StateUpdate>},
    {"transcript_update", &decode_body<TranscriptUpdate>},
    {"speech_event", &decode_body<SpeechEvent>},
};

DecodeResult refused(const char* code, std::string message, std::string type = {}) {
  DecodeResult r;
  r.error = DecodeError{code, std::move(message), std::move(type)};
  return r;
}

}  // namespace

std::string json_of(const ChatMessage& m) {
  return object_of(m).dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string json_of(const RoomSummary& m) {
  return object_of(m).dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string json_of(const RoomDetails& m) {
  OrderedJson j = OrderedJson::object();
  to_json(j, m);
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::string json_of(const GenerationOptions& m) {
  OrderedJson j = OrderedJson::object();
  put_options(j, m);
  return j["options"].dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

std::optional<GenerationOptions> options_of(std::string_view json) {
  const Json j = Json::parse(json, nullptr, false);
  Reader reader;
  GenerationOptions out;
  if (j.is_discarded() || !reader.read(j, out, "options")) return std::nullopt;
  return out;
}

std::string encode(const Message& m) {
  OrderedJson j = OrderedJson::object();
  j["v"] = kVersion;
  j["type"] = type_name(m);
  std::visit([&j](const auto& message) { to_json(j, message); }, m);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

DecodeResult decode(std::string_view text) {
  namespace ec = error_codes;
  if (!validation::is_valid_utf8(text)) return refused(ec::bad_utf8, "frame is not valid UTF-8");
  // The parser takes a NUL byte for the end of input and would accept "{...}\0junk";
  // JSON allows no raw NUL anywhere, so refuse it here.
  if (text.find('\0') != std::string_view::npos) {
    return refused(ec::bad_json, "frame is not valid JSON");
  }

  const Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return refused(ec::bad_json, "frame is not valid JSON");
  if (!j.is_object()) return refused(ec::bad_json, "frame is not a JSON object");

  std::string type;
  const auto type_it = j.find("type");
  const auto* type_ptr = type_it == j.end() ? nullptr : type_it->get_ptr<const Json::string_t*>();
  if (type_ptr != nullptr) type = *type_ptr;

  const auto v_it = j.find("v");
  if (v_it == j.end()) return refused(ec::bad_envelope, "v: missing", type);
  std::string version;  // kept as text so any integer is reported as it was sent
  if (const auto* u = v_it->get_ptr<const Json::number_unsigned_t*>()) {
    version = std::to_string(*u);
  } else if (const auto* i = v_it->get_ptr<const Json::number_integer_t*>()) {
    version = std::to_string(*i);  // only reached for negative values
  } else {
    return refused(ec::bad_envelope, "v: expected integer", type);
  }
  if (version != std::to_string(kVersion)) {
    return refused(ec::unsupported_version, "v: unsupported version " + version, type);
  }

  if (type_it == j.end()) return refused(ec::bad_envelope, "type: missing");
  if (type_ptr == nullptr) return refused(ec::bad_envelope, "type: expected string");

  for (const Decoder& d : kDecoders) {
    if (type != d.tag) continue;
    Reader reader;
    Message out;
    if (!d.decode(reader, j, d.tag, out)) {
      return refused(ec::bad_field, reader.failure(), type);
    }
    DecodeResult r;
    r.value = std::move(out);
    return r;
  }
  return refused(ec::unknown_type, "type: unknown message type", type);
}

}  // namespace parley::protocol
