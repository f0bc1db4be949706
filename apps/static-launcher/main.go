// Command kiln-static-launcher is the in-pod launcher of a step that moves no
// artifacts: a container step without input or output artifacts (a no-op, a
// check, a step passing parameters only). The Node launcher
// (libs/k8s-activities/src/in-pod) costs ~150 ms of Node start per pod before
// the user's command may run; this one starts in a few milliseconds.
//
// It does no resolving and holds no store credentials. The worker resolves
// everything from the step's request (the same functions the Node launcher
// runs) and hands it a plan in the environment (KILN_POD_PLAN): the files to
// write, the folders to create and open up, where main records its exit code,
// and the output parameters to read. It prepares the work folder, tells main
// it may start (the ready file main's wrapper waits for), waits for main's exit
// code, and reports the output parameters' raw text on its own stdout in a
// frame the worker reads from the container's log. The worker type-checks them
// with the launcher's own rules and writes the executor-output record, so the
// step's semantics live in one place (TypeScript).
//
// Usage: kiln-static-launcher launch
//
// Like the Node launcher's `launch` phase it runs as a native sidecar: it stays
// up after reporting until the pod stops it (SIGTERM), because a sidecar that
// exits on its own is restarted.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// planEnv names the environment variable holding the plan (JSON).
const planEnv = "KILN_POD_PLAN"

// planVersion is the plan format this launcher reads; the worker writes the same number.
const planVersion = 1

// Frame markers on stdout: base64 chunks of a JSON document, then the end marker. Chunked so that no
// log line is long enough for a container runtime to split it.
const (
	resultMarker  = "::kiln-result::"
	failureMarker = "::kiln-failure::"
	endSuffix     = "end"
	chunkChars    = 4000
)

// plan is what the worker resolved for this step (libs/k8s-activities/src/static-launcher.ts writes it).
type plan struct {
	Version       int           `json:"version"`
	Files         []planFile    `json:"files"`
	Folders       []string      `json:"folders"`
	OpenUp        []string      `json:"openUp"`
	OutputParams  []outputParam `json:"outputParams"`
	ExitCodeFile  string        `json:"exitCodeFile"`
	StartedAtFile string        `json:"startedAtFile"`
	ReadyFile     string        `json:"readyFile"`
	FailedFile    string        `json:"failedFile"`
	// MaxParamBytes bounds the text of all output parameters together (they travel in a log frame and
	// then in Temporal's history).
	MaxParamBytes int64 `json:"maxParamBytes"`
	// AliveFile, when set, is a FIFO this launcher makes first thing: main's wrapper opens it for writing,
	// which returns once this launcher opens it for reading when the work folder is ready, then writes
	// one byte and holds it open while it lives, so a main that dies without recording an exit code shows
	// as end-of-file instead of a wait forever.
	AliveFile string `json:"aliveFile,omitempty"`
	// ExitWhenDone: the launcher is a regular container beside main (not a native sidecar, which the pod
	// stops), so it exits once it has reported.
	ExitWhenDone bool `json:"exitWhenDone,omitempty"`
}

type planFile struct {
	Path    string `json:"path"`
	Content string `json:"content"`
}

type outputParam struct {
	Name string `json:"name"`
	File string `json:"file"`
}

// failure is a LaunchFailure as the worker classifies it.
type failure struct {
	FailureType string `json:"failureType"`
	Reason      string `json:"reason"`
	Message     string `json:"message"`
}

func (f *failure) Error() string { return f.Reason + ": " + f.Message }

// result is what the worker turns into the executor-output record.
type result struct {
	Version    int           `json:"version"`
	ExitCode   int           `json:"exitCode"`
	StartedAt  string        `json:"startedAt"`
	FinishedAt string        `json:"finishedAt"`
	Params     []paramReport `json:"params"`
}

// paramReport is one output parameter as found: its text, or why there is none.
type paramReport struct {
	Name string `json:"name"`
	// Text is the file's content (invalid UTF-8 becomes U+FFFD, as Node's utf8 decoding does).
	Text *string `json:"text,omitempty"`
	// Missing: the file was not written (or is not a readable file).
	Missing bool `json:"missing,omitempty"`
	// Link: the file is, or holds, a symbolic link out of its folder (Target "" when it leads nowhere).
	Link *linkReport `json:"link,omitempty"`
	// TooLarge: the file's size, when it would take the parameters past MaxParamBytes.
	TooLarge int64 `json:"tooLarge,omitempty"`
}

type linkReport struct {
	Entry  string `json:"entry"`
	Target string `json:"target"`
	Folder string `json:"folder"`
}

var stdout io.Writer = os.Stdout

func say(line string) { fmt.Fprintf(stdout, "[kiln] %s\n", line) }

func main() {
	if len(os.Args) != 2 || os.Args[1] != "launch" {
		fmt.Fprintln(os.Stderr, "usage: kiln-static-launcher launch   (the plan in $"+planEnv+")")
		os.Exit(2)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	// Closed at the first signal, so every wait sees it: the pod may stop this container while it is
	// still reporting (main has exited), and the report finishes first.
	stop := make(chan struct{})
	go func() {
		<-signals
		close(stop)
	}()
	if exitWhenDone := launch(os.Getenv(planEnv), stop); exitWhenDone {
		return
	}
	// A sidecar that exits on its own is restarted: stay until the pod stops this container.
	<-stop
}

// launch prepares the work folder, lets main start, and reports main's outputs once it exited; it
// returns whether the process may exit now (the plan's ExitWhenDone).
func launch(planText string, stop <-chan struct{}) (exitWhenDone bool) {
	p, err := readPlan(planText)
	if p != nil {
		exitWhenDone = p.ExitWhenDone
	}
	defer func() {
		// A bug must not leave main waiting for a ready file that never comes.
		if crash := recover(); crash != nil {
			reportFailure(fmt.Errorf("the static launcher crashed: %v", crash))
			tellMainLauncherFailed(p)
		}
	}()
	var mainGone <-chan struct{}
	if err == nil {
		mainGone, err = prepare(p)
	}
	if err != nil {
		reportFailure(err)
		tellMainLauncherFailed(p)
		return
	}
	code, finished, ok := waitForExitCode(p.ExitCodeFile, stop, mainGone)
	if !ok {
		say("main container stopped without recording an exit code (killed); nothing to publish")
		return
	}
	if code != 0 {
		say(fmt.Sprintf("main container exited %d; outputs are not published", code))
		return
	}
	started := readStartedAt(p.StartedAtFile, finished)
	r := result{Version: planVersion, ExitCode: 0, StartedAt: started, FinishedAt: isoTime(finished)}
	r.Params = readParams(p)
	if err := writeFrame(resultMarker, r); err != nil {
		say("could not report the outputs: " + err.Error())
		return
	}
	say(fmt.Sprintf("outputs reported: %d parameter(s)", len(r.Params)))
	return
}

// Where the failed file and the alive FIFO are when the plan cannot be read to say so: the pod layout's
// paths (libs/k8s-activities/src/in-pod/paths.ts, `launcherFailedFile` and `mainAliveFile`). Variables
// for tests.
var (
	fallbackFailedFile = "/kiln/launcher-failed"
	fallbackAliveFile  = "/kiln/main-alive"
)

// tellMainLauncherFailed writes the failed file (after the report: main exits at it without running the
// command) and lets main past its wait on the alive FIFO to see it.
func tellMainLauncherFailed(p *plan) {
	failedFile, aliveFile := fallbackFailedFile, fallbackAliveFile
	if p != nil && p.FailedFile != "" {
		failedFile = p.FailedFile
	}
	if p != nil && p.AliveFile != "" {
		aliveFile = p.AliveFile
	}
	if err := os.WriteFile(failedFile, []byte("failed\n"), 0o666); err != nil {
		say("could not tell main that the launcher failed: " + err.Error())
	}
	releaseMain(aliveFile)
}

func readPlan(text string) (*plan, error) {
	if text == "" {
		return nil, &failure{"configuration", "InvalidLaunchPlan", "$" + planEnv + " is empty: the worker gives this launcher its plan there"}
	}
	decoder := json.NewDecoder(strings.NewReader(text))
	decoder.DisallowUnknownFields()
	var p plan
	if err := decoder.Decode(&p); err != nil {
		return nil, &failure{"configuration", "InvalidLaunchPlan", "$" + planEnv + " is not a plan this launcher reads: " + err.Error()}
	}
	if p.Version != planVersion {
		return &p, &failure{"configuration", "InvalidLaunchPlan", fmt.Sprintf(
			"the plan is version %d, this launcher reads version %d: the worker and the launcher image are from different Kiln releases",
			p.Version, planVersion)}
	}
	if p.ExitCodeFile == "" || p.ReadyFile == "" || p.FailedFile == "" || p.StartedAtFile == "" {
		return &p, &failure{"configuration", "InvalidLaunchPlan", "the plan names no exit code, started-at, ready or failed file"}
	}
	return &p, nil
}

// prepare creates the folders, writes the command's files, opens the folders main writes to (it may run
// as any uid), and tells main it may start. With an AliveFile, main's wrapper waits in its open of the
// FIFO, made first, which returns the moment this opens it too (no poll on main's side); the returned
// channel closes once main has come and gone.
func prepare(p *plan) (mainGone <-chan struct{}, err error) {
	if p.AliveFile != "" {
		if err := makeAliveFifo(p.AliveFile); err != nil {
			return nil, launcherError(err)
		}
	}
	if err := prepareFolder(p); err != nil {
		return nil, err
	}
	if err := os.WriteFile(p.StartedAtFile, []byte(isoTime(time.Now())+"\n"), 0o666); err != nil {
		return nil, launcherError(err)
	}
	if err := os.WriteFile(p.ReadyFile, []byte("ready\n"), 0o666); err != nil {
		return nil, launcherError(err)
	}
	if p.AliveFile != "" {
		if mainGone, err = openAliveFifo(p.AliveFile); err != nil {
			return nil, launcherError(err)
		}
	}
	return mainGone, nil
}

func prepareFolder(p *plan) error {
	for _, dir := range p.Folders {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return launcherError(err)
		}
	}
	for _, file := range p.Files {
		if err := os.MkdirAll(filepath.Dir(file.Path), 0o777); err != nil {
			return launcherError(err)
		}
		if err := os.WriteFile(file.Path, []byte(file.Content), 0o666); err != nil {
			return launcherError(err)
		}
	}
	for _, dir := range p.OpenUp {
		if err := os.Chmod(dir, 0o777); err != nil {
			return launcherError(err)
		}
	}
	say(fmt.Sprintf("work folder ready: 0 input artifact(s), %d file(s) for the command", len(p.Files)))
	return nil
}

// launcherError classifies an unexpected error as the Node launcher does (`asLaunchError`): infrastructure.
func launcherError(err error) error {
	return &failure{"infrastructure", "LauncherError", err.Error()}
}

var exitCodeText = regexp.MustCompile(`^\d+\n$`)

// readExitCode returns the exit code once main's wrapper has written it whole (a trailing newline).
func readExitCode(file string) (code int, at time.Time, ok bool) {
	text, err := os.ReadFile(file)
	if err != nil || !exitCodeText.Match(text) {
		return 0, time.Time{}, false
	}
	code, err = strconv.Atoi(strings.TrimSpace(string(text)))
	if err != nil {
		return 0, time.Time{}, false
	}
	info, err := os.Stat(file)
	if err != nil {
		return 0, time.Time{}, false
	}
	return code, info.ModTime(), true
}

// waitForExitCode waits until main recorded its exit code, or the pod stops this container (then it looks
// once more: the wrapper writes the file before main exits, and sidecars are stopped after main).
func waitForExitCode(file string, stop, mainGone <-chan struct{}) (int, time.Time, bool) {
	changed, closeWatch := watchFolder(filepath.Dir(file))
	defer closeWatch()
	poll := time.NewTicker(time.Second)
	defer poll.Stop()
	for {
		if code, at, ok := readExitCode(file); ok {
			return code, at, true
		}
		select {
		case <-changed:
		case <-poll.C:
		case <-stop:
			code, at, ok := readExitCode(file)
			return code, at, ok
		case <-mainGone:
			// The wrapper records the exit code before it exits: what is there now is all there will be.
			code, at, ok := readExitCode(file)
			return code, at, ok
		}
	}
}

func readStartedAt(file string, fallback time.Time) string {
	text, err := os.ReadFile(file)
	if err == nil {
		if started := strings.TrimSpace(string(text)); started != "" {
			return started
		}
	}
	return isoTime(fallback)
}

// isoTime formats like JavaScript's Date.toISOString.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// readParams reads every output parameter: links are checked before anything is read, as the Node
// launcher checks them (a parameter's value is shown to every viewer: a link to a host file must not
// become one).
func readParams(p *plan) []paramReport {
	reports := make([]paramReport, 0, len(p.OutputParams))
	budget := p.MaxParamBytes
	for _, param := range p.OutputParams {
		report := paramReport{Name: param.Name}
		if link := outsideLink(param.File); link != nil {
			report.Link = link
			reports = append(reports, report)
			continue
		}
		info, err := os.Stat(param.File)
		switch {
		case err != nil || !info.Mode().IsRegular():
			report.Missing = true
		case budget > 0 && info.Size() > budget:
			report.TooLarge = info.Size()
		default:
			text, readErr := readAtMost(param.File, budget)
			if readErr != nil {
				report.Missing = true
				break
			}
			if budget > 0 && int64(len(text)) > budget {
				report.TooLarge = int64(len(text))
				break
			}
			budget -= int64(len(text))
			content := string(text)
			report.Text = &content
		}
		reports = append(reports, report)
	}
	return reports
}

// readAtMost reads a regular file, stopping one byte past limit (0: no limit) so a file that grew is still
// caught. Opened without blocking and checked again once open: a FIFO put in the file's place after the
// first look must not hang the launcher.
func readAtMost(file string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(file, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if limit <= 0 {
		return io.ReadAll(f)
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// outsideLink reports the first symbolic link at or under path that resolves outside path's folder, or
// nowhere (libs/launcher/src/phases/output-links.ts, `checkOutputLinks`, is the rule).
func outsideLink(path string) *linkReport {
	if _, err := os.Lstat(path); err != nil {
		return nil
	}
	folder := filepath.Dir(path)
	root, err := filepath.EvalSymlinks(folder)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(entry string) *linkReport
	walk = func(entry string) *linkReport {
		info, err := os.Lstat(entry)
		if err != nil {
			return nil
		}
		real := entry
		if info.Mode()&os.ModeSymlink != 0 {
			resolved, err := filepath.EvalSymlinks(entry)
			if err != nil {
				return &linkReport{Entry: entry, Target: "", Folder: folder}
			}
			if abs, absErr := filepath.Abs(resolved); absErr == nil {
				resolved = abs
			}
			if !isInside(resolved, root) {
				return &linkReport{Entry: entry, Target: resolved, Folder: folder}
			}
			real = resolved
		}
		if seen[real] {
			return nil
		}
		seen[real] = true
		if realInfo, err := os.Lstat(real); err == nil && realInfo.IsDir() {
			names, _ := os.ReadDir(real)
			for _, name := range names {
				if found := walk(filepath.Join(real, name.Name())); found != nil {
					return found
				}
			}
		}
		return nil
	}
	return walk(path)
}

func isInside(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || (!strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel))
}

func reportFailure(err error) {
	var f *failure
	if !errors.As(err, &f) {
		f = &failure{"infrastructure", "LauncherError", err.Error()}
	}
	say(fmt.Sprintf("%s failure (%s): %s", f.FailureType, f.Reason, f.Message))
	if writeErr := writeFrame(failureMarker, f); writeErr != nil {
		say("could not report the failure: " + writeErr.Error())
	}
}

// writeFrame prints value as base64 JSON in chunks, each line `<marker><chunk>`, then `<marker>end`.
func writeFrame(marker string, value any) error {
	body, err := json.Marshal(value)
	if err != nil {
		return err
	}
	encoded := base64.StdEncoding.EncodeToString(body)
	var out strings.Builder
	for start := 0; start < len(encoded); start += chunkChars {
		end := min(start+chunkChars, len(encoded))
		out.WriteString(marker + encoded[start:end] + "\n")
	}
	out.WriteString(marker + endSuffix + "\n")
	_, err = io.WriteString(stdout, out.String())
	return err
}
