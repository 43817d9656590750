package server

import (
	"net/http"
	"sync"

	"langcard/templates/i18n"
)

// This file negotiates the person's language, once a request.

// requestScope is what one request works out once, whatever asks for it.
type requestScope struct {
	mu sync.Mutex
	// langs are the catalogues negotiated, by override ("" for none).
	langs map[string]*i18n.Catalog
}

type scopeKey struct{}

// lang is the catalogue of r's person: override (an embed element's lang)
// when it names one, else their browser's languages, else English;
// negotiated once a request for each override.
func lang(r *http.Request, override string) *i18n.Catalog {
	sc, _ := r.Context().Value(scopeKey{}).(*requestScope)
	if sc == nil {
		L, _ := i18n.Match(r.Header.Get("Accept-Language"), override)
		return L
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if L, ok := sc.langs[override]; ok {
		return L
	}
	L, _ := i18n.Match(r.Header.Get("Accept-Language"), override)
	if sc.langs == nil {
		sc.langs = map[string]*i18n.Catalog{}
	}
	sc.langs[override] = L
	return L
}
