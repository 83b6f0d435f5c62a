// kvstore: a key-value store for ring-0 applications.
//
//   kvstore --capacity N             serve the line protocol on stdin/stdout
//   kvstore --capacity N --batch OPS run a generated workload, print totals
//
// Line protocol (one command per line, one response line per command):
//   SET key value   -> OK | ERR full | ERR too long
//   GET key         -> VALUE value | NOT_FOUND
//   DEL key         -> DELETED | NOT_FOUND
//   COUNT           -> COUNT n
//   QUIT            -> BYE (and exit)
// Anything else gets "ERR ..." and the session goes on. Values may contain
// spaces (everything after the key); keys may not.
//
// Each response is written with its own write(2): in protocol mode the
// program is deliberately system-call heavy, which is what kml speeds up.
#include <cstdint>

#include "kml/args.hpp"
#include "kml/io.hpp"
#include "kml/string.hpp"
#include "table.hpp"

namespace {

using kml::string_view;

constexpr size_t max_line = 256;
using response = kml::fixed_string<max_line>;

// Writes one response line to stdout; false when stdout is gone.
bool reply(const response &r) noexcept {
  response line = r;
  line.push_back('\n');
  return kml::io::write_all(kml::io::stdout_fd, line.view()).ok();
}

void report(string_view message) noexcept {
  response line(message);
  line.push_back('\n');
  (void)kml::io::write_all(kml::io::stderr_fd, line.view());
}

// Runs one protocol command against the table.
class session {
public:
  explicit session(kvstore::table &t) noexcept : table_(t) {}

  // Fills `out` with the response to `line`; returns false after QUIT.
  bool handle(string_view line, response &out) noexcept {
    kml::split_result cmd = kml::split_once(line.trim(), ' ');
    string_view verb = cmd.head;
    string_view rest = cmd.tail.trim();
    if (verb == "SET")
      return do_set(rest, out);
    if (verb == "GET")
      return do_get(rest, out);
    if (verb == "DEL")
      return do_del(rest, out);
    if (verb == "COUNT" && rest.empty()) {
      out.append("COUNT ");
      out.append_u64(table_.size());
      return true;
    }
    if (verb == "QUIT" && rest.empty()) {
      out.append("BYE");
      return false;
    }
    out.append(verb.empty() ? string_view("ERR empty command")
                            : string_view("ERR unknown command"));
    return true;
  }

private:
  // A single key with no blanks inside, or an empty view.
  static string_view single_key(string_view text) noexcept {
    if (text.empty() || text.find(' ') != string_view::npos)
      return string_view();
    return text;
  }

  bool do_set(string_view args, response &out) noexcept {
    kml::split_result kv = kml::split_once(args, ' ');
    if (!kv.found || kv.head.empty()) {
      out.append("ERR usage: SET key value");
      return true;
    }
    switch (table_.set(kv.head, kv.tail)) {
    case kvstore::set_outcome::inserted:
    case kvstore::set_outcome::replaced:
      out.append("OK");
      break;
    case kvstore::set_outcome::full:
      out.append("ERR full");
      break;
    case kvstore::set_outcome::too_long:
      out.append("ERR too long");
      break;
    }
    return true;
  }

  bool do_get(string_view args, response &out) noexcept {
    string_view key = single_key(args);
    if (key.empty()) {
      out.append("ERR usage: GET key");
      return true;
    }
    kvstore::table::lookup found = table_.get(key);
    if (!found.found) {
      out.append("NOT_FOUND");
      return true;
    }
    out.append("VALUE ");
    out.append(found.value);
    return true;
  }

  bool do_del(string_view args, response &out) noexcept {
    string_view key = single_key(args);
    if (key.empty()) {
      out.append("ERR usage: DEL key");
      return true;
    }
    out.append(table_.erase(key) ? string_view("DELETED")
                                 : string_view("NOT_FOUND"));
    return true;
  }

  kvstore::table &table_;
};

int serve(kvstore::table &t) noexcept {
  session s(t);
  kml::io::line_reader<max_line> lines(kml::io::stdin_fd);
  for (;;) {
    kml::io::line l = lines.next();
    response out;
    bool more = true;
    switch (l.status) {
    case kml::io::line_status::end:
      return 0;
    case kml::io::line_status::error:
      report("kvstore: read error on stdin");
      return 1;
    case kml::io::line_status::too_long:
      out.append("ERR line too long");
      break;
    case kml::io::line_status::line:
      more = s.handle(l.text, out);
      break;
    }
    if (!reply(out))
      return 1;
    if (!more)
      return 0;
  }
}

// xorshift64: a fixed, seedable sequence so batch runs are repeatable.
class xorshift {
public:
  explicit xorshift(uint64_t seed) noexcept : state_(seed == 0 ? 1 : seed) {}
  uint64_t next() noexcept {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }

private:
  uint64_t state_;
};

// A generated workload over a key space twice the capacity: 50% GET,
// 40% SET, 10% DEL. Prints the totals and a checksum of the values read,
// so two runs (say at ring 3 and at ring 0) can be compared exactly.
int batch(kvstore::table &t, uint64_t ops, uint64_t seed) noexcept {
  xorshift rng(seed);
  uint64_t keys = t.capacity() * 2;
  uint64_t hits = 0, misses = 0, sets = 0, full = 0, dels = 0, checksum = 0;
  for (uint64_t i = 0; i < ops; ++i) {
    uint64_t r = rng.next();
    kvstore::key_text key("k");
    key.append_u64(r % keys);
    uint64_t kind = (r >> 32) % 10;
    if (kind < 5) {
      kvstore::table::lookup found = t.get(key);
      if (found.found) {
        ++hits;
        checksum = checksum * 31 + kvstore::hash_key(found.value);
      } else {
        ++misses;
      }
    } else if (kind < 9) {
      kvstore::value_text value("v");
      value.append_u64(i);
      if (t.set(key, value) == kvstore::set_outcome::full)
        ++full;
      else
        ++sets;
    } else if (t.erase(key)) {
      ++dels;
    }
  }
  response out("ops=");
  out.append_u64(ops);
  out.append(" gets=");
  out.append_u64(hits + misses);
  out.append(" hits=");
  out.append_u64(hits);
  out.append(" sets=");
  out.append_u64(sets);
  out.append(" full=");
  out.append_u64(full);
  out.append(" dels=");
  out.append_u64(dels);
  out.append(" count=");
  out.append_u64(t.size());
  out.append(" checksum=");
  out.append_u64(checksum);
  return reply(out) ? 0 : 1;
}

struct options {
  uint64_t capacity = 1024;
  bool batch = false;
  uint64_t batch_ops = 0;
  uint64_t seed = 42;
};

// Parses `--name value` pairs; false (after a message) on anything wrong.
bool parse_options(const kml::args &args, options &opt) noexcept {
  for (size_t i = 1; i < args.size(); i += 2) {
    string_view name = args[i];
    if (i + 1 >= args.size()) {
      report("kvstore: option without a value");
      return false;
    }
    kml::result<uint64_t> value = kml::parse_u64(args[i + 1]);
    if (!value) {
      report("kvstore: option values are non-negative integers");
      return false;
    }
    if (name == "--capacity") {
      opt.capacity = value.value();
    } else if (name == "--batch") {
      opt.batch = true;
      opt.batch_ops = value.value();
    } else if (name == "--seed") {
      opt.seed = value.value();
    } else {
      report("usage: kvstore [--capacity N] [--batch OPS] [--seed S]");
      return false;
    }
  }
  // Slots are twice the capacity rounded up to a power of two, about 190
  // bytes each and all touched at start (value-initialised): 2^20 entries
  // take about 400 MB, the most a small VM should be asked for.
  if (opt.capacity == 0 || opt.capacity > (uint64_t{1} << 20)) {
    report("kvstore: --capacity must be 1..1048576");
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  options opt;
  if (!parse_options(kml::args(argc, argv), opt))
    return 2;
  kvstore::table t(static_cast<size_t>(opt.capacity));
  if (!t.valid()) {
    report("kvstore: cannot allocate the table");
    return 1;
  }
  return opt.batch ? batch(t, opt.batch_ops, opt.seed) : serve(t);
}
