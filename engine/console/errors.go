package console

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// apiError is an error answer: its HTTP status, a stable code scripts can
// test, and a sentence for people.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Message }

func badRequest(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_request", Message: msg}
}

func notFound(msg string) *apiError {
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: msg}
}

// errorFor turns an error of the store, the catalog or the runner into
// the answer it deserves: unknown things 404, things in the wrong state
// 409, anything else 500 (logged, not shown).
func errorFor(err error) *apiError {
	var (
		ae       *apiError
		unkRun   *state.UnknownRunError
		unkTask  *state.UnknownTaskError
		runState *state.RunStateError
		tsState  *state.TaskStateError
		maxBytes *http.MaxBytesError
		taskErr  *catalog.TaskError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &maxBytes):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: "the request body is larger than the console accepts"}
	case errors.As(err, &unkRun), errors.As(err, &unkTask), errors.Is(err, catalog.ErrUnknownTask):
		return notFound(message(err))
	case errors.As(err, &runState), errors.As(err, &tsState), errors.Is(err, runner.ErrTaskBusy), errors.Is(err, catalog.ErrNotRunnable):
		return &apiError{Status: http.StatusConflict, Code: "conflict", Message: message(err)}
	case errors.As(err, &taskErr):
		return &apiError{Status: http.StatusConflict, Code: "conflict", Message: message(err)}
	}
	return nil
}

// message is the sentence of err without the store's wrapping.
func message(err error) string {
	var se *state.Error
	if errors.As(err, &se) && se.Err != nil {
		return se.Err.Error()
	}
	return err.Error()
}

// indentBelow is the size under which an answer is indented for a person
// reading it (curl); a larger one, such as every task of a big state, is
// for a script and goes out compact, which costs a third less.
const indentBelow = 64 << 10

// writeJSON answers v as JSON, indented when it is short.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	data, err := []byte(nil), error(nil)
	if raw, ok := v.(rawJSON); ok {
		data = raw
	} else {
		data, err = json.Marshal(v)
	}
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":{"code":"internal","message":"the answer could not be encoded"}}` + "\n"))
		return
	}
	if len(data) < indentBelow {
		var buf bytes.Buffer
		if json.Indent(&buf, data, "", "  ") == nil {
			data = buf.Bytes()
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, map[string]*apiError{"error": e})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
