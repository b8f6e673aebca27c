package web

import "net/http"

// routesBook mounts the pages of this area (to be written).
func (u *UI) routesBook(mux *http.ServeMux) {}
