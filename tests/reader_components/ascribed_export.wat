;; An instance exported with a type ascription (as older wit-component did):
;; the ascribed instance type defines the export's own types and refers to
;; the imported ones by outer alias.
(component
  (type $types (instance
    (type $rec (record (field "x" s32)))
    (export "point" (type (eq $rec)))
  ))
  (import "a:b/types" (instance $types-inst (type $types)))
  (alias export $types-inst "point" (type $point))
  (type $api (instance
    (alias outer 1 $point (type $outer-point))
    (export "point" (type $p (eq $outer-point)))
    (type $shape (variant (case "dot" $p) (case "none")))
    (export "shape" (type $s (eq $shape)))
    (type $pair (record (field "a" $s) (field "b" $s)))
    (export "pair" (type $pr (eq $pair)))
    (type $f (func (param "s" $s) (result $pr)))
    (export "f" (func (type $f)))
  ))
  (import "a:b/api" (instance $api-inst (type $api)))
  ;; The same shape as $api, declared again (one type used for both would
  ;; give both sides the same named types, which WIT cannot express).
  (type $api-export (instance
    (alias outer 1 $point (type $outer-point))
    (export "point" (type $p (eq $outer-point)))
    (type $shape (variant (case "dot" $p) (case "none")))
    (export "shape" (type $s (eq $shape)))
    (type $pair (record (field "a" $s) (field "b" $s)))
    (export "pair" (type $pr (eq $pair)))
    (type $f (func (param "s" $s) (result $pr)))
    (export "f" (func (type $f)))
  ))
  (export "a:b/api-again" (instance $api-inst) (instance (type $api-export)))
)
