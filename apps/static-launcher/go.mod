module github.com/kiln-dev/kiln/apps/static-launcher

go 1.22
