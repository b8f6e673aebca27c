package web

import "net/http"

// routesRecord mounts the pages of this area (to be written).
func (u *UI) routesRecord(mux *http.ServeMux) {}
