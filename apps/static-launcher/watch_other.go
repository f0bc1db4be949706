//go:build !linux

package main

// watchFolder has no change events off Linux: the caller's poll alone finds the file.
func watchFolder(string) (<-chan struct{}, func()) { return make(chan struct{}), func() {} }
