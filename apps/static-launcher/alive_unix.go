//go:build unix

package main

import (
	"os"
	"syscall"
	"time"
)

// watchMainAlive makes the FIFO at path (before main may start) and returns a channel closed once main's
// wrapper has opened it, written its byte, and every holder has closed it again: main's wrapper exited,
// whichever way. Until the byte arrives there is no telling "not started yet" from "gone" (a FIFO without
// writers reads as end-of-file), so that first wait polls; then a blocking read waits for the end.
func watchMainAlive(path string) (<-chan struct{}, error) {
	_ = os.Remove(path)
	if err := syscall.Mkfifo(path, 0o666); err != nil {
		return nil, err
	}
	// Main may run as another user (the mode above is cut by the umask).
	if err := os.Chmod(path, 0o666); err != nil {
		return nil, err
	}
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	gone := make(chan struct{})
	go func() {
		// The descriptor stays open for the process's life: main's wrapper opens the FIFO for writing,
		// which blocks while no reader has it open.
		buffer := make([]byte, 16)
		pause := 5 * time.Millisecond
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
