//go:build !unix

package main

import "errors"

var errNoFifo = errors.New("the alive FIFO needs a Unix system")

func makeAliveFifo(string) error                    { return errNoFifo }
func openAliveFifo(string) (<-chan struct{}, error) { return nil, errNoFifo }
func releaseMain(string)                            {}
