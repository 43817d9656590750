// Package metrics is what operators can see of a running BFF, as
// Prometheus metrics. They are served on a listener of their own
// (LANGCARD_METRICS_ADDR), never on the public one.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the BFF's metrics. A nil *Metrics records nothing.
type Metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	graphCalls   *prometheus.CounterVec
	graphRetries prometheus.Counter
	graphWait    prometheus.Counter
	refreshes    *prometheus.CounterVec
	sessions     *prometheus.CounterVec
	storeErrors  prometheus.Counter
}

// New returns the BFF's metrics, registered with the Go runtime's and
// the process's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langcard_http_requests_total", Help: "Requests answered, by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "langcard_http_request_duration_seconds", Help: "Time to answer a request, by route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		graphCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langcard_graph_requests_total", Help: "Requests sent to Microsoft Graph, by operation and status (0: no answer).",
		}, []string{"operation", "status"}),
		graphRetries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "langcard_graph_retries_total", Help: "Requests to Graph sent again after 429, 503 or 504.",
		}),
		graphWait: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "langcard_graph_throttle_wait_seconds_total", Help: "Time spent waiting on Graph's Retry-After and back-off.",
		}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langcard_token_refreshes_total", Help: "Access-token refreshes, by outcome (ok, invalid_grant, failed).",
		}, []string{"outcome"}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langcard_sessions_total", Help: "Sessions, by event (created, ended).",
		}, []string{"event"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "langcard_session_store_errors_total", Help: "Failures of the session store (Redis).",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.graphCalls, m.graphRetries, m.graphWait, m.refreshes, m.sessions, m.storeErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records an answered request.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// GraphCall records a request to Graph.
func (m *Metrics) GraphCall(operation string, status int) {
	if m == nil {
		return
	}
	m.graphCalls.WithLabelValues(operation, strconv.Itoa(status)).Inc()
}

// GraphRetry records a wait before sending a request to Graph again.
func (m *Metrics) GraphRetry(wait time.Duration) {
	if m == nil {
		return
	}
	m.graphRetries.Inc()
	m.graphWait.Add(wait.Seconds())
}

// Refresh records a token refresh's outcome.
func (m *Metrics) Refresh(outcome string) {
	if m == nil {
		return
	}
	m.refreshes.WithLabelValues(outcome).Inc()
}

// Session records a session created or ended.
func (m *Metrics) Session(event string) {
	if m == nil {
		return
	}
	m.sessions.WithLabelValues(event).Inc()
}

// StoreError records a failure of the session store.
func (m *Metrics) StoreError() {
	if m == nil {
		return
	}
	m.storeErrors.Inc()
}
