// Command kube-apiserver is the upstream Kubernetes API server, built from the
// k8s.io/kubernetes Go module at the version pinned in go.mod. Kiln's test
// environment runs it against a local etcd; nothing here changes its behaviour.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
