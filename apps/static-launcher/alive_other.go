//go:build !unix

package main

import "errors"

func watchMainAlive(string) (<-chan struct{}, error) {
	return nil, errors.New("the alive FIFO needs a Unix system")
}
