// odis-bench-measure: runs one command and measures it the same way whatever it is (the agent, or the
// Playwright peer with its Node and Chromium): wall time from fork to the command's exit, CPU seconds
// of the whole process tree, and the tree's peak RSS and PSS sampled from /proc.
//
//   odis-bench-measure [--interval S] [--grace S] [--out FILE] -- <command> [args...]
//
// CPU of the tree: this process makes itself a child subreaper (prctl), so that every descendant whose
// parent exits first is reparented here and reaped here; once all are reaped, getrusage(RUSAGE_CHILDREN)
// holds the user and system time of every process the command started, however deep (Chromium's zygote
// and renderers included). A process that outlives the command by more than --grace seconds (default 10)
// is killed and counted in leftover_processes.
// Memory of the tree: every --interval seconds (default 0.1) the descendants are found again from
// /proc/*/stat and their VmRSS (status) and Pss (smaps_rollup) summed. RSS counts shared pages once per
// process (an upper bound); PSS splits them among their users (the tree's fair share of the machine).
// The command's own peak comes from the kernel (wait4's ru_maxrss), never missed between two samples.
//
// Writes one JSON object to --out (default stdout); exits with the command's exit status (128 + signal
// when it was killed), 125 on a usage or system error, 127 when the command cannot be started.
// Plain C++ and POSIX: the sampler should cost the machine as little as possible.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <poll.h>
#include <signal.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_root = 0;

// A benchmark stopped by a signal stops what it measures: the command gets the same signal.
void forward(int signal)
{
    if (g_root > 0)
        kill(static_cast<pid_t>(g_root), signal);
}

struct Options
{
    double interval = 0.1;
    double grace = 10;
    std::string out;
    std::vector<char*> command;
};

struct Peaks
{
    long samples = 0;
    long rootRssKb = 0;
    long treeRssKb = 0;
    long treePssKb = 0;
    long processes = 0;
};

[[noreturn]] void usage(const char* why)
{
    std::fprintf(stderr, "odis-bench-measure: %s\n", why);
    std::fprintf(
        stderr, "usage: odis-bench-measure [--interval S] [--grace S] [--out FILE] -- <command> [args...]\n");
    std::exit(125);
}

double positiveNumber(const char* text, const char* option)
{
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(value > 0))
        usage((std::string(option) + " takes a number of seconds above 0").c_str());
    return value;
}

Options parse(int argc, char** argv)
{
    Options options;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (i + 1 >= argc)
            usage(("missing value after " + arg).c_str());
        if (arg == "--interval")
            options.interval = positiveNumber(argv[++i], "--interval");
        else if (arg == "--grace")
            options.grace = positiveNumber(argv[++i], "--grace");
        else if (arg == "--out")
            options.out = argv[++i];
        else
            usage(("unknown option " + arg).c_str());
    }
    for (; i < argc; ++i)
        options.command.push_back(argv[i]);
    if (options.command.empty())
        usage("no command after --");
    options.command.push_back(nullptr);
    return options;
}

// "<key> <value> kB" from /proc/<pid>/<file>: 0 when the process is gone or has no such line (a zombie).
long readKb(pid_t pid, const char* file, const char* key)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/" + file;
    std::FILE* f = std::fopen(path.c_str(), "re");
    if (!f)
        return 0;
    char line[256];
    long value = 0;
    const size_t keyLength = std::strlen(key);
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, key, keyLength) == 0) {
            value = std::strtol(line + keyLength, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return value;
}

// The parent of every process now alive, from /proc/<pid>/stat (the command name may hold spaces and
// parentheses: the fields after it start past its last ')').
std::multimap<pid_t, pid_t> childrenByParent()
{
    std::multimap<pid_t, pid_t> children;
    DIR* proc = opendir("/proc");
    if (!proc)
        return children;
    while (const dirent* entry = readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || pid <= 0)
            continue;
        const std::string path = std::string("/proc/") + entry->d_name + "/stat";
        std::FILE* f = std::fopen(path.c_str(), "re");
        if (!f)
            continue;
        char buffer[1024];
        const size_t n = std::fread(buffer, 1, sizeof buffer - 1, f);
        std::fclose(f);
        buffer[n] = '\0';
        const char* close = std::strrchr(buffer, ')');
        if (!close)
            continue;
        // After the command's name: " <state> <ppid> ...".
        const char* field = close + 1;
        while (*field == ' ')
            ++field;
        if (*field == '\0')
            continue;
        ++field; // the state
        char* ppidEnd = nullptr;
        const long ppid = std::strtol(field, &ppidEnd, 10);
        if (ppidEnd != field)
            children.emplace(static_cast<pid_t>(ppid), static_cast<pid_t>(pid));
    }
    closedir(proc);
    return children;
}

// Every descendant of this process (the command and what it started, or what was reparented here).
std::vector<pid_t> descendants()
{
    const auto children = childrenByParent();
    std::vector<pid_t> tree{getpid()};
    for (size_t i = 0; i < tree.size(); ++i) {
        const auto [first, last] = children.equal_range(tree[i]);
        for (auto it = first; it != last; ++it)
            tree.push_back(it->second);
    }
    tree.erase(tree.begin());
    return tree;
}

void sample(pid_t root, Peaks& peaks)
{
    const std::vector<pid_t> tree = descendants();
    long rss = 0;
    long pss = 0;
    long alive = 0;
    for (const pid_t pid : tree) {
        const long processRss = readKb(pid, "status", "VmRSS:");
        if (processRss == 0)
            continue; // gone, or a zombie waiting to be reaped
        ++alive;
        rss += processRss;
        pss += readKb(pid, "smaps_rollup", "Pss:");
        if (pid == root)
            peaks.rootRssKb = std::max(peaks.rootRssKb, processRss);
    }
    ++peaks.samples;
    peaks.treeRssKb = std::max(peaks.treeRssKb, rss);
    peaks.treePssKb = std::max(peaks.treePssKb, pss);
    peaks.processes = std::max(peaks.processes, alive);
}

// Reaps every child that has exited, without waiting.
void reapExited()
{
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

double cpuSeconds(const timeval& t)
{
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    const Options options = parse(argc, argv);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        std::perror("odis-bench-measure: prctl(PR_SET_CHILD_SUBREAPER)");
        return 125;
    }
    const Clock::time_point started = Clock::now();
    const pid_t root = fork();
    if (root < 0) {
        std::perror("odis-bench-measure: fork");
        return 125;
    }
    if (root == 0) {
        execvp(options.command[0], options.command.data());
        std::fprintf(stderr, "odis-bench-measure: cannot start %s: %s\n", options.command[0],
                     std::strerror(errno));
        _exit(127);
    }
    g_root = root;
    struct sigaction action
    {};
    action.sa_handler = forward;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGTERM, SIGINT, SIGHUP})
        sigaction(signal, &action, nullptr);
    // A pidfd becomes readable the moment the command exits: the wall time does not wait for a sample.
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, root, 0));
    if (pidfd < 0) {
        std::perror("odis-bench-measure: pidfd_open");
        kill(root, SIGKILL);
        return 125;
    }

    Peaks peaks;
    const auto interval = std::chrono::duration<double>(options.interval);
    while (true) {
        const Clock::time_point sampleStart = Clock::now();
        sample(root, peaks);
        const auto left = interval - (Clock::now() - sampleStart);
        const int timeoutMs =
            std::max(1, static_cast<int>(std::chrono::duration<double, std::milli>(left).count()));
        pollfd waitFor{pidfd, POLLIN, 0};
        if (poll(&waitFor, 1, timeoutMs) > 0)
            break;
    }
    const double wall = seconds(Clock::now() - started);
    int status = 0;
    rusage rootUsage{};
    wait4(root, &status, 0, &rootUsage);
    close(pidfd);

    // What the command left behind is still its cost: reap it as it ends, kill it after the grace period.
    const Clock::time_point graceEnd = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                          std::chrono::duration<double>(options.grace));
    long leftover = 0;
    while (true) {
        reapExited();
        const std::vector<pid_t> rest = descendants();
        if (rest.empty())
            break;
        if (Clock::now() >= graceEnd) {
            leftover = static_cast<long>(rest.size());
            for (const pid_t pid : rest)
                kill(pid, SIGKILL);
            while (waitpid(-1, nullptr, 0) > 0) {
            }
            break;
        }
        usleep(20'000);
    }

    rusage tree{};
    getrusage(RUSAGE_CHILDREN, &tree);
    const int exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const double user = cpuSeconds(tree.ru_utime);
    const double system = cpuSeconds(tree.ru_stime);
    char json[1024];
    std::snprintf(json, sizeof json,
                  "{\"exit_code\": %d, \"wall_s\": %.3f, \"cpu_user_s\": %.3f, \"cpu_sys_s\": %.3f, "
                  "\"cpu_s\": %.3f, \"root_max_rss_kb\": %ld, \"root_peak_rss_kb\": %ld, "
                  "\"tree_peak_rss_kb\": %ld, \"tree_peak_pss_kb\": %ld, \"tree_peak_processes\": %ld, "
                  "\"samples\": %ld, \"leftover_processes\": %ld}\n",
                  exitCode, wall, user, system, user + system, rootUsage.ru_maxrss, peaks.rootRssKb,
                  peaks.treeRssKb, peaks.treePssKb, peaks.processes, peaks.samples, leftover);
    if (options.out.empty()) {
        std::fputs(json, stdout);
    } else {
        std::ofstream file(options.out);
        file << json;
        if (!file) {
            std::fprintf(stderr, "odis-bench-measure: cannot write %s\n", options.out.c_str());
            return 125;
        }
    }
    return exitCode;
}
