package demo

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"langcard/bff/auth/entrafake"
	"langcard/bff/graph/graphfake"
)

// Env is a running demo: the identity provider and the Graph emulator,
// each on its own loopback listener.
type Env struct {
	IdP      *IdP
	Graph    *graphfake.Server
	GraphURL string // Graph's beta base URL on the emulator
	graphSrv *http.Server
}

// Start starts the demo identity provider and a seeded Graph emulator on
// loopback listeners with free ports. bffURL is the BFF's public URL, whose
// callback and sign-out return the IdP registers (RegisterBFF adds more).
func Start(ctx context.Context, bffURL string) (*Env, error) {
	return StartWith(ctx, bffURL, People)
}

// StartWith is Start with other people (the demo seed still goes to the
// demo people among them).
func StartWith(ctx context.Context, bffURL string, people []Person) (*Env, error) {
	idpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	idp, err := StartIdP(idpLn, people)
	if err != nil {
		idpLn.Close()
		return nil, err
	}
	idp.RegisterBFF(bffURL)
	graphLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		idp.Close()
		return nil, err
	}
	keys := oidc.NewRemoteKeySet(context.WithoutCancel(ctx), idp.JWKSURL())
	dir := make([]graphfake.Person, len(people))
	for i, p := range people {
		dir[i] = p.Person
	}
	g := graphfake.New(graphfake.Signed(keys, idp.AccessTokenIssuer(), entrafake.GraphAppID), dir...)
	Seed(g)
	env := &Env{IdP: idp, Graph: g, GraphURL: "http://" + graphLn.Addr().String() + "/beta"}
	env.graphSrv = &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second}
	go env.graphSrv.Serve(graphLn)
	return env, nil
}

// Close stops both peers.
func (e *Env) Close() error {
	return errors.Join(e.IdP.Close(), e.graphSrv.Close())
}
