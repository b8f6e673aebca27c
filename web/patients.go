package web

import "net/http"

// routesPatients mounts the pages of this area (to be written).
func (u *UI) routesPatients(mux *http.ServeMux) {}
