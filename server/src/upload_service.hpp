// Uploads over the WebSocket and the documents they become (docs/protocol.md, section
// 9b). A file comes in numbered base64 chunks after upload_init; each chunk is written
// at its place in a part file (so a resent chunk changes nothing) and confirmed; after a
// dropped connection the client asks upload_init again with the same upload_id and goes
// on from the first unconfirmed chunk. upload_finish checks the SHA-256, has clamd scan
// the file when configured, keeps it under files/<sha256> and adds a document to the
// room, which is then split into passages for retrieval, its progress told to the room.
//
// Network threads only check and queue: file I/O, hashing, scanning and text extraction
// run on task queues of their own, SQLite on the history worker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clamd_scanner.hpp"
#include "fanout.hpp"
#include "history_worker.hpp"
#include "parley/protocol.hpp"
#include "presence_registry.hpp"
#include "server_config.hpp"
#include "task_queue.hpp"

namespace parley::server {

class UploadService {
 public:
  UploadService(const ServerConfig& config, HistoryWorker& history, Fanout& fanout,
                PresenceRegistry& presence);
  ~UploadService();

  void on_init(const std::shared_ptr<Subscriber>& peer, const std::string& user,
               const protocol::UploadInit& m);
  void on_chunk(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                const protocol::UploadChunk& m);
  void on_finish(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                 const protocol::UploadFinish& m);
  void on_list(const std::shared_ptr<Subscriber>& peer, const std::string& user,
               const protocol::ListDocuments& m);
  // Removes the stored files with these SHA-256 names (their documents are gone).
  void remove_files(const std::vector<std::string>& sha256s);
  void on_delete(const std::shared_ptr<Subscriber>& peer, const std::string& user,
                 const protocol::DeleteDocument& m);

  // Raw bytes per chunk: the configured size, lowered so a chunk's frame fits in
  // max_message_bytes.
  std::uint32_t chunk_bytes() const { return chunk_bytes_; }
  const std::filesystem::path& files_dir() const { return files_dir_; }
  // At most this many unfinished uploads per user.
  static constexpr std::size_t kMaxOpenUploads = 8;

 private:
  struct Upload;
  using Key = std::pair<std::string, std::string>;  // user, upload_id

  void finish_on_files_thread(const std::shared_ptr<Subscriber>& peer,
                              const std::shared_ptr<Upload>& up, std::string sha256);
  void keep(const std::shared_ptr<Subscriber>& peer, const std::shared_ptr<Upload>& up,
            const std::string& sha256);
  void process(protocol::Document doc, std::filesystem::path file);
  void publish_document(const std::optional<protocol::Document>& doc);
  void forget(const std::shared_ptr<Upload>& up);
  std::filesystem::path stored_path(const std::string& sha256) const;

  const ServerConfig& config_;
  HistoryWorker& history_;
  Fanout& fanout_;
  PresenceRegistry& presence_;
  std::filesystem::path files_dir_;
  std::filesystem::path incoming_dir_;
  std::uint32_t chunk_bytes_;
  std::optional<ClamdScanner> scanner_;
  std::mutex mutex_;
  std::map<Key, std::shared_ptr<Upload>> uploads_;
  // Last: their threads end first, while everything above is still there.
  TaskQueue files_{"uploads"};
  TaskQueue documents_{"documents"};
};

}  // namespace parley::server
