// The client's side of uploads and documents in the room on screen: the files the user
// is uploading (chunked, a few chunks in flight, resumed after a reconnect from the
// first chunk the server has not confirmed) and the room's documents as the server
// reports them (processing, ready, failed). Pure logic: frames go out through a writer
// the session gives, so it is unit-tested without a network.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/protocol.hpp"
#include "parley/validation.hpp"

namespace parley::client {

struct UploadStatus {
  enum class State { waiting, sending, checking, done, failed };
  std::string upload_id;
  std::string file_name;
  std::uint64_t size = 0;
  std::uint64_t stored_bytes = 0;  // confirmed by the server
  State state = State::waiting;
  std::string error;               // when failed: "code: reason"
  std::uint64_t document_id = 0;   // when done
  // 0..100: chunks stored, then the check; 100 once done.
  unsigned percent() const;
};
const char* to_string(UploadStatus::State s);

class RoomDocuments {
 public:
  using Writer = std::function<void(const protocol::Message&)>;
  // Chunks sent ahead of the server's confirmations.
  static constexpr std::uint32_t kWindow = 4;

  // Queues a file for the room; it starts at the next start_uploads(). Refuses names
  // the server would refuse (validation::check_file_name) and empty files.
  validation::Verdict add_upload(std::string room, std::string upload_id, std::string file_name,
                                 std::string media_type, std::string bytes);
  // The connection is live in the room: (re)starts every unfinished upload; a resumed
  // one goes on where the server says.
  void on_live(const Writer& write);
  // Starts uploads added since (while live).
  void start_uploads(const Writer& write);
  // Upload and document frames; false for anything else.
  bool handle(const protocol::Message& m, const Writer& write);
  // An error naming one of the uploads (its upload_id in ref) ends that upload as
  // failed; true when it did.
  bool on_error(const protocol::Error& e);
  // Another room is shown: forget its documents and uploads.
  void clear();

  // Uploads not yet done or failed.
  bool busy() const;
  std::vector<UploadStatus> uploads() const;
  const std::vector<protocol::Document>& documents() const { return documents_; }
  const protocol::Document* document(std::uint64_t id) const;
  std::uint64_t revision() const { return revision_; }

 private:
  struct Upload {
    UploadStatus status;
    std::string room;
    std::string media_type;
    std::string bytes;
    std::string sha256;
    std::uint32_t chunk_bytes = 0;
    std::uint32_t total = 0;
    std::uint32_t next_to_send = 0;
    std::uint32_t confirmed = 0;
    bool init_sent = false;
  };
  Upload* find(std::string_view upload_id);
  void pump(Upload& u, const Writer& write);
  void upsert(const protocol::Document& d);

  std::vector<Upload> uploads_;
  std::vector<protocol::Document> documents_;
  std::uint64_t revision_ = 0;
};

}  // namespace parley::client
