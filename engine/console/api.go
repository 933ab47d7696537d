package console

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"
)

// apiFunc answers one API request: a status and a value to send as JSON,
// or an error (see errorFor).
type apiFunc func(r *http.Request) (int, any, error)

// endpoint is one method of an API path.
type endpoint struct {
	operator bool // needs the operator role
	fn       apiFunc
}

// apiRoutes registers the JSON API under /api/v1/.
func (c *Console) apiRoutes(mux *http.ServeMux) {
	get := func(fn apiFunc) map[string]endpoint { return map[string]endpoint{http.MethodGet: {fn: fn}} }
	post := func(fn apiFunc) map[string]endpoint {
		return map[string]endpoint{http.MethodPost: {operator: true, fn: fn}}
	}
	c.handleAPI(mux, "/api/v1/tasks", get(c.apiTasks))
	c.handleAPI(mux, "/api/v1/tasks/{name}", get(c.apiTask))
	c.handleAPI(mux, "/api/v1/tasks/{name}/trigger", post(c.apiTrigger))
	c.handleAPI(mux, "/api/v1/tasks/{name}/suspend", post(c.apiSuspend))
	c.handleAPI(mux, "/api/v1/tasks/{name}/resume", post(c.apiResume))
	c.handleAPI(mux, "/api/v1/runs", get(c.apiRuns))
	c.handleAPI(mux, "/api/v1/runs/{id}", get(c.apiRun))
	c.handleAPI(mux, "/api/v1/runs/{id}/changes", get(c.apiRunChanges))
	c.handleAPI(mux, "/api/v1/runs/{id}/cancel", post(c.apiCancel))
	c.handleAPI(mux, "/api/v1/applies", get(c.apiApplies))
	c.handleAPI(mux, "/api/v1/sync", get(c.apiSync))
	c.handleAPI(mux, "/api/v1/resources", get(c.apiResources))
	c.handleAPI(mux, "/api/v1/resources/{name}/test", post(c.apiTestResource))
	mux.Handle("/api/", c.require(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, notFound("there is no API endpoint "+r.URL.Path+"; see docs/security.md and docs/cli.md#serve"))
	})))
}

// handleAPI serves path with one endpoint per method; another method gets
// 405 with the Allow header.
func (c *Console) handleAPI(mux *http.ServeMux, path string, methods map[string]endpoint) {
	allow := make([]string, 0, len(methods))
	for m := range methods {
		allow = append(allow, m)
	}
	sort.Strings(allow)
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		ep, ok := methods[method]
		if !ok {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, &apiError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
				Message: r.Method + " is not allowed here; use " + strings.Join(allow, " or ")})
			return
		}
		c.require(ep.operator, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			status, body, err := ep.fn(r)
			if err != nil {
				c.apiFail(w, r, err)
				return
			}
			writeJSON(w, status, body)
		})).ServeHTTP(w, r)
	})
}

// apiFail answers err; an unexpected error is logged and shown as 500
// without its text, which may name the store's files.
func (c *Console) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if e := errorFor(err); e != nil {
		writeError(w, e)
		return
	}
	c.cfg.Logger.Error("console request failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	writeError(w, &apiError{Status: http.StatusInternalServerError, Code: "internal", Message: "the request failed; the server's log says why"})
}

// decodeBody reads a JSON object into v; an empty body leaves v as it
// is. Unknown fields and trailing data are errors.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var maxBytes *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &maxBytes):
		return err
	case err != nil:
		return badRequest("the request body is not a valid JSON object of this endpoint: " + err.Error())
	}
	if dec.More() {
		return badRequest("the request body holds more than one JSON value")
	}
	return nil
}
