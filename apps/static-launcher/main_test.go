package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is stdout shared by the launcher goroutine and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func captureStdout(t *testing.T) *lockedBuffer {
	t.Helper()
	out := &lockedBuffer{}
	previous := stdout
	stdout = out
	t.Cleanup(func() { stdout = previous })
	return out
}

// frame decodes the last complete frame with marker from a log, as the worker does.
func frame(t *testing.T, log, marker string, into any) bool {
	t.Helper()
	var chunks, last strings.Builder
	found := false
	for _, line := range strings.Split(log, "\n") {
		if !strings.HasPrefix(line, marker) {
			continue
		}
		rest := strings.TrimPrefix(line, marker)
		if rest == endSuffix {
			last.Reset()
			last.WriteString(chunks.String())
			chunks.Reset()
			found = true
			continue
		}
		chunks.WriteString(rest)
	}
	if !found {
		return false
	}
	body, err := base64.StdEncoding.DecodeString(last.String())
	if err != nil {
		t.Fatalf("frame is not base64: %v", err)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("frame is not JSON: %v", err)
	}
	return true
}

type pod struct {
	root, work string
	plan       plan
}

func newPod(t *testing.T, params ...string) *pod {
	t.Helper()
	root := t.TempDir()
	work := filepath.Join(root, "work")
	p := plan{
		Version:       planVersion,
		Files:         []planFile{{Path: filepath.Join(work, "inputs", "_params", "n"), Content: "42"}},
		Folders:       []string{work, filepath.Join(work, "outputs", "_params")},
		OpenUp:        []string{work, filepath.Join(work, "outputs"), filepath.Join(work, "outputs", "_params")},
		ExitCodeFile:  filepath.Join(root, "exit-code"),
		StartedAtFile: filepath.Join(root, "started-at"),
		ReadyFile:     filepath.Join(root, "launcher-ready"),
		FailedFile:    filepath.Join(root, "launcher-failed"),
		MaxParamBytes: 1024,
	}
	for _, name := range params {
		p.OutputParams = append(p.OutputParams, outputParam{Name: name, File: filepath.Join(work, "outputs", "_params", name)})
	}
	return &pod{root: root, work: work, plan: p}
}

func (p *pod) planText(t *testing.T) string {
	t.Helper()
	text, err := json.Marshal(p.plan)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// run starts the launcher, plays main with mainDoes once the ready file is there, and returns the log.
func (p *pod) run(t *testing.T, exitCode string, mainDoes func()) string {
	t.Helper()
	out := captureStdout(t)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		launch(p.planText(t), stop)
		close(done)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(p.plan.ReadyFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; log:\n%s", out.String())
		}
		time.Sleep(time.Millisecond)
	}
	mainDoes()
	if exitCode != "" {
		// As main's wrapper does: write aside, then rename into place.
		if err := os.WriteFile(p.plan.ExitCodeFile+".tmp", []byte(exitCode), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p.plan.ExitCodeFile+".tmp", p.plan.ExitCodeFile); err != nil {
			t.Fatal(err)
		}
	} else if p.plan.AliveFile == "" {
		// Without the alive FIFO only the pod's stop ends the wait (with it, main leaving does).
		close(stop)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the launcher did not report; log:\n%s", out.String())
	}
	return out.String()
}

func (p *pod) writeParam(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(p.work, "outputs", "_params", name), []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}

func TestPreparesTheWorkFolderAndReportsParameters(t *testing.T) {
	p := newPod(t, "decision", "n")
	log := p.run(t, "0\n", func() {
		input, err := os.ReadFile(filepath.Join(p.work, "inputs", "_params", "n"))
		if err != nil || string(input) != "42" {
			t.Errorf("input parameter file: %q, %v", input, err)
		}
		info, err := os.Stat(filepath.Join(p.work, "outputs", "_params"))
		if err != nil || info.Mode().Perm() != 0o777 {
			t.Errorf("output folder not opened up: %v %v", info, err)
		}
		p.writeParam(t, "decision", "yes\n")
		p.writeParam(t, "n", "\xff7")
	})
	var r result
	if !frame(t, log, resultMarker, &r) {
		t.Fatalf("no result frame in:\n%s", log)
	}
	if r.ExitCode != 0 || len(r.Params) != 2 || r.StartedAt == "" || r.FinishedAt == "" {
		t.Fatalf("result: %+v", r)
	}
	if r.Params[0].Name != "decision" || r.Params[0].Text == nil || *r.Params[0].Text != "yes\n" {
		t.Errorf("decision: %+v", r.Params[0])
	}
	// Invalid UTF-8 reads as U+FFFD, as Node's utf8 decoding reads it.
	if r.Params[1].Text == nil || *r.Params[1].Text != "\uFFFD7" {
		t.Errorf("n: %+v", r.Params[1])
	}
	if !strings.Contains(log, "[kiln] work folder ready: 0 input artifact(s), 1 file(s) for the command") {
		t.Errorf("log lacks the ready line:\n%s", log)
	}
}

func TestReportsMissingLinkedAndOversizedParameters(t *testing.T) {
	p := newPod(t, "missing", "link", "dangling", "big", "dir")
	outside := filepath.Join(p.root, "secret")
	if err := os.WriteFile(outside, []byte("host file"), 0o666); err != nil {
		t.Fatal(err)
	}
	log := p.run(t, "0\n", func() {
		params := filepath.Join(p.work, "outputs", "_params")
		if err := os.Symlink(outside, filepath.Join(params, "link")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(p.root, "nowhere"), filepath.Join(params, "dangling")); err != nil {
			t.Fatal(err)
		}
		p.writeParam(t, "big", strings.Repeat("x", 2000))
		if err := os.Mkdir(filepath.Join(params, "dir"), 0o777); err != nil {
			t.Fatal(err)
		}
	})
	var r result
	if !frame(t, log, resultMarker, &r) {
		t.Fatalf("no result frame in:\n%s", log)
	}
	byName := map[string]paramReport{}
	for _, report := range r.Params {
		byName[report.Name] = report
	}
	if !byName["missing"].Missing || byName["missing"].Text != nil {
		t.Errorf("missing: %+v", byName["missing"])
	}
	if link := byName["link"].Link; link == nil || link.Target != outside || byName["link"].Text != nil {
		t.Errorf("link: %+v", byName["link"])
	}
	if link := byName["dangling"].Link; link == nil || link.Target != "" {
		t.Errorf("dangling: %+v", byName["dangling"])
	}
	if byName["big"].TooLarge != 2000 || byName["big"].Text != nil {
		t.Errorf("big: %+v", byName["big"])
	}
	if !byName["dir"].Missing {
		t.Errorf("dir: %+v", byName["dir"])
	}
	if strings.Contains(log, "host file") {
		t.Errorf("the linked host file was read:\n%s", log)
	}
}

func TestALinkInsideTheFolderIsFollowed(t *testing.T) {
	p := newPod(t, "value")
	log := p.run(t, "0\n", func() {
		params := filepath.Join(p.work, "outputs", "_params")
		p.writeParam(t, "real", "7")
		if err := os.Symlink(filepath.Join(params, "real"), filepath.Join(params, "value")); err != nil {
			t.Fatal(err)
		}
	})
	var r result
	if !frame(t, log, resultMarker, &r) || r.Params[0].Text == nil || *r.Params[0].Text != "7" {
		t.Fatalf("result %+v from:\n%s", r, log)
	}
}

func TestNonZeroExitReportsNothing(t *testing.T) {
	p := newPod(t, "x")
	log := p.run(t, "3\n", func() {})
	var r result
	if frame(t, log, resultMarker, &r) {
		t.Fatalf("a result frame for a failed command:\n%s", log)
	}
	if !strings.Contains(log, "main container exited 3; outputs are not published") {
		t.Errorf("log:\n%s", log)
	}
}

func TestStoppedWithoutExitCode(t *testing.T) {
	p := newPod(t)
	log := p.run(t, "", func() {})
	if !strings.Contains(log, "without recording an exit code") {
		t.Errorf("log:\n%s", log)
	}
}

func TestAPartialExitCodeIsNotTaken(t *testing.T) {
	if _, _, ok := readExitCode(writeTemp(t, "1")); ok {
		t.Error("an exit code without its newline was taken")
	}
	if code, _, ok := readExitCode(writeTemp(t, "17\n")); !ok || code != 17 {
		t.Errorf("17: %d %v", code, ok)
	}
}

func writeTemp(t *testing.T, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	return file
}

// podPaths points the launcher's fallback paths (used when the plan cannot be read) into a test folder.
func podPaths(t *testing.T) (failedFile string) {
	t.Helper()
	dir := t.TempDir()
	previousFailed, previousAlive := fallbackFailedFile, fallbackAliveFile
	fallbackFailedFile, fallbackAliveFile = filepath.Join(dir, "launcher-failed"), filepath.Join(dir, "main-alive")
	t.Cleanup(func() { fallbackFailedFile, fallbackAliveFile = previousFailed, previousAlive })
	return fallbackFailedFile
}

func TestABadPlanIsAConfigurationFailureAndMainIsTold(t *testing.T) {
	for _, c := range []struct{ name, plan, reason string }{
		{"empty", "", "is empty"},
		{"not json", "{", "not a plan this launcher reads"},
		{"unknown field", `{"version":1,"surprise":true}`, "unknown field"},
	} {
		t.Run(c.name, func(t *testing.T) {
			failedFile := podPaths(t)
			out := captureStdout(t)
			launch(c.plan, make(chan struct{}))
			// The plan could not say where main waits: the pod layout's own path is used.
			if _, err := os.Stat(failedFile); err != nil {
				t.Errorf("main was not told: %v", err)
			}
			var f failure
			if !frame(t, out.String(), failureMarker, &f) {
				t.Fatalf("no failure frame:\n%s", out.String())
			}
			if f.FailureType != "configuration" || f.Reason != "InvalidLaunchPlan" || !strings.Contains(f.Message, c.reason) {
				t.Errorf("failure: %+v", f)
			}
		})
	}
	p := newPod(t)
	p.plan.Version = 2
	out := captureStdout(t)
	launch(p.planText(t), make(chan struct{}))
	var f failure
	if !frame(t, out.String(), failureMarker, &f) || !strings.Contains(f.Message, "different Kiln releases") {
		t.Fatalf("failure %+v from:\n%s", f, out.String())
	}
	if _, err := os.Stat(p.plan.FailedFile); err != nil {
		t.Errorf("main was not told: %v", err)
	}
}

func TestAWorkFolderThatCannotBeMadeIsAnInfrastructureFailure(t *testing.T) {
	p := newPod(t)
	blocker := filepath.Join(p.root, "blocker")
	if err := os.WriteFile(blocker, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	p.plan.Folders = []string{filepath.Join(blocker, "work")}
	out := captureStdout(t)
	launch(p.planText(t), make(chan struct{}))
	var f failure
	if !frame(t, out.String(), failureMarker, &f) || f.FailureType != "infrastructure" || f.Reason != "LauncherError" {
		t.Fatalf("failure %+v from:\n%s", f, out.String())
	}
	if _, err := os.Stat(p.plan.ReadyFile); err == nil {
		t.Error("main was told to start")
	}
	if _, err := os.Stat(p.plan.FailedFile); err != nil {
		t.Errorf("main was not told: %v", err)
	}
}

func TestALargeFrameIsChunked(t *testing.T) {
	out := captureStdout(t)
	text := strings.Repeat("é", 10000)
	if err := writeFrame(resultMarker, result{Params: []paramReport{{Name: "a", Text: &text}}}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if len(line) > len(resultMarker)+chunkChars {
			t.Fatalf("a line of %d characters", len(line))
		}
	}
	var r result
	if !frame(t, out.String(), resultMarker, &r) || *r.Params[0].Text != text {
		t.Fatal("the chunked frame does not read back")
	}
}

func TestAStopWhileReportingDoesNotLoseTheReportOrTheStop(t *testing.T) {
	p := newPod(t, "n")
	out := captureStdout(t)
	if err := os.MkdirAll(filepath.Join(p.work, "outputs", "_params"), 0o777); err != nil {
		t.Fatal(err)
	}
	p.writeParam(t, "n", "1")
	if err := os.WriteFile(p.plan.ExitCodeFile, []byte("0\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	// The pod stops the launcher as main exits: already stopped when it looks for the exit code.
	stop := make(chan struct{})
	close(stop)
	launch(p.planText(t), stop)
	var r result
	if !frame(t, out.String(), resultMarker, &r) || r.Params[0].Text == nil {
		t.Fatalf("no report:\n%s", out.String())
	}
	select {
	case <-stop: // still readable: the process exits instead of waiting for a second signal
	default:
		t.Fatal("the stop was used up")
	}
}

// playMainWrapper does what main's wrapper does with the alive FIFO: open it, write its byte, and hold it
// until release is called.
func playMainWrapper(t *testing.T, fifo string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("open the alive FIFO: %v", err)
	}
	if _, err := f.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	return func() { _ = f.Close() }
}

func TestAMainThatDiesWithoutAnExitCodeEndsTheWait(t *testing.T) {
	p := newPod(t, "n")
	p.plan.AliveFile = filepath.Join(p.root, "main-alive")
	p.plan.ExitWhenDone = true
	out := captureStdout(t)
	done := make(chan bool)
	go func() { done <- launch(p.planText(t), make(chan struct{})) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(p.plan.ReadyFile); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file:\n%s", out.String())
		}
	}
	release := playMainWrapper(t, p.plan.AliveFile)
	time.Sleep(30 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("the launcher stopped waiting while main lived")
	default:
	}
	release() // killed: no exit code recorded
	select {
	case exitWhenDone := <-done:
		if !exitWhenDone {
			t.Error("a launcher beside main did not exit when done")
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("the launcher still waits for a main that is gone:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "without recording an exit code") {
		t.Errorf("log:\n%s", out.String())
	}
}

func TestBesideMainTheExitCodeIsReadWhenMainLeaves(t *testing.T) {
	p := newPod(t, "n")
	p.plan.AliveFile = filepath.Join(p.root, "main-alive")
	p.plan.ExitWhenDone = true
	log := p.run(t, "", func() {
		release := playMainWrapper(t, p.plan.AliveFile)
		p.writeParam(t, "n", "5")
		if err := os.WriteFile(p.plan.ExitCodeFile, []byte("0\n"), 0o666); err != nil {
			t.Fatal(err)
		}
		release()
	})
	var r result
	if !frame(t, log, resultMarker, &r) || r.Params[0].Text == nil || *r.Params[0].Text != "5" {
		t.Fatalf("result %+v from:\n%s", r, log)
	}
}

func TestAFailedLauncherLetsMainPastTheAliveFifoToItsFailedFile(t *testing.T) {
	p := newPod(t)
	p.plan.AliveFile = filepath.Join(p.root, "main-alive")
	p.plan.ExitWhenDone = true
	blocker := filepath.Join(p.root, "blocker")
	if err := os.WriteFile(blocker, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	p.plan.Folders = []string{filepath.Join(blocker, "work")}
	captureStdout(t)
	opened := make(chan error, 1)
	go func() {
		// Main's wrapper: wait for the FIFO, then open it for writing (blocks until the launcher reads).
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if info, err := os.Stat(p.plan.AliveFile); err == nil && info.Mode()&os.ModeNamedPipe != 0 {
				f, err := os.OpenFile(p.plan.AliveFile, os.O_WRONLY, 0)
				if err == nil {
					f.Close()
				}
				opened <- err
				return
			}
		}
		opened <- os.ErrNotExist
	}()
	launch(p.planText(t), make(chan struct{}))
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("main could not open the alive FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("main is still blocked on the alive FIFO after the launcher failed")
	}
	if _, err := os.Stat(p.plan.FailedFile); err != nil {
		t.Errorf("no failed file: %v", err)
	}
}

func TestAFifoForAParameterIsMissingNotAHang(t *testing.T) {
	p := newPod(t, "n")
	log := p.run(t, "0\n", func() {
		if err := syscall.Mkfifo(filepath.Join(p.work, "outputs", "_params", "n"), 0o666); err != nil {
			t.Fatal(err)
		}
	})
	var r result
	if !frame(t, log, resultMarker, &r) || !r.Params[0].Missing {
		t.Fatalf("result %+v from:\n%s", r, log)
	}
	// And read directly, as if it had been swapped in after the first look.
	if _, err := readAtMost(filepath.Join(p.work, "outputs", "_params", "n"), 10); err == nil {
		t.Error("a FIFO was read as a parameter")
	}
}
