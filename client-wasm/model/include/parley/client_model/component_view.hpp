// An interactive component the assistant sent (docs/protocol.md 9c) as the UI shows it:
// a form's fields with the user's drafts, or a set of buttons. Decided here from the
// component's JSON, so the draw code only lays it out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parley/room_transcript.hpp"

namespace parley::client {

struct ComponentField {
  std::string name;
  std::string label;
  std::string type;   // "text", "datetime", "number", ...
  bool required = false;
  std::string value;  // the draft (pre-filled from the component)
};

struct ComponentButton {
  std::string id;
  std::string label;
};

struct ComponentView {
  std::uint64_t seq = 0;  // the message that carries it
  std::string id;
  std::string type;       // "form" or "buttons"
  std::string title;
  std::string error;      // why the form came back
  std::string submit_label = "Submit";
  std::vector<ComponentField> fields;
  std::vector<ComponentButton> buttons;
};

// The component of `e` with `drafts` over its pre-filled values; nullopt when it has
// none (or its JSON is not a component).
std::optional<ComponentView> make_component_view(const Entry& e,
                                                 const std::map<std::string, std::string>& drafts);

// The required fields left empty, by label ("" when none).
std::string missing_fields(const ComponentView& c);

}  // namespace parley::client
