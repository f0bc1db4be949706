package main

import "syscall"

// watchFolder signals on changed whenever an entry of dir is created, written or moved in (inotify),
// so the exit code is read the moment main's wrapper renames it into place rather than at the next
// poll. Without inotify the channel stays quiet and the caller's poll alone finds the file.
func watchFolder(dir string) (changed <-chan struct{}, closeWatch func()) {
	events := make(chan struct{}, 1)
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		return events, func() {}
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE|syscall.IN_CLOSE_WRITE|syscall.IN_MOVED_TO); err != nil {
		syscall.Close(fd)
		return events, func() {}
	}
	go func() {
		buffer := make([]byte, 64*(syscall.SizeofInotifyEvent+syscall.NAME_MAX+1))
		for {
			n, err := syscall.Read(fd, buffer)
			if err != nil || n < syscall.SizeofInotifyEvent {
				return
			}
			select {
			case events <- struct{}{}:
			default: // a wake-up is already pending
			}
		}
	}()
	// The reading goroutine ends with the process (the launcher waits for SIGTERM after reporting).
	return events, func() { syscall.Close(fd) }
}
