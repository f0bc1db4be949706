//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// makeAliveFifo makes the FIFO main's wrapper waits on (open for writing blocks until a reader opens it).
func makeAliveFifo(path string) error {
	_ = os.Remove(path)
	if err := syscall.Mkfifo(path, 0o666); err != nil {
		return err
	}
	// Main may run as another user (the mode above is cut by the umask).
	return os.Chmod(path, 0o666)
}

// openAliveFifo opens the FIFO for reading, which lets main's wrapper past its open, and returns a channel
// closed once the wrapper has written its byte and every holder has closed the FIFO again: main's wrapper
// exited, whichever way. Until the byte arrives there is no telling "not yet" from "gone" (a FIFO without
// writers reads as end-of-file), so that first wait polls; then a blocking read waits for the end.
func openAliveFifo(path string) (<-chan struct{}, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	gone := make(chan struct{})
	go func() {
		// The descriptor stays open for the process's life: the wrapper's byte must find a reader.
		buffer := make([]byte, 16)
		pause := time.Millisecond
		for {
			n, err := syscall.Read(fd, buffer)
			if n > 0 {
				break
			}
			if err != nil && err != syscall.EAGAIN && err != syscall.EINTR {
				return // never closes: the exit code file and the pod's stop still end the wait
			}
			time.Sleep(pause)
			pause = min(2*pause, 200*time.Millisecond)
		}
		if err := syscall.SetNonblock(fd, false); err != nil {
			return
		}
		for {
			n, err := syscall.Read(fd, buffer)
			if n == 0 && err == nil {
				close(gone)
				return
			}
			if err != nil && err != syscall.EINTR {
				return
			}
		}
	}()
	return gone, nil
}

// releaseMain opens the FIFO for reading (if it was made) and keeps it open until the process exits, so
// main's wrapper gets past its open and finds the failed file.
func releaseMain(path string) {
	if info, err := os.Stat(path); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	_, _ = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
}
