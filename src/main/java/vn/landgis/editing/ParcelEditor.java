package vn.landgis.editing;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import vn.landgis.cadastre.RegisterChanged;
import vn.landgis.geo.SupportedCrs;

/**
 * Parcel transactions: split, merge, boundary move, attribute edit, undo, and the mixed actions of a WFS-T
 * Transaction. Each is planned from the versions the client names, then committed in one database transaction
 * (see the package comment): lock, check the versions are still current, snap and node, check the rules, write,
 * audit; after commit {@link RegisterChanged}. A refused edit writes nothing to the register and one
 * {@code edit-rejected} audit event (who, which dossier, which versions, why), so the audit tells every committed
 * edit and every refused one apart. Thread-safe.
 */
@Service
public class ParcelEditor {

    private static final Logger log = LoggerFactory.getLogger(ParcelEditor.class);

    private final EditStore store;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final EditingProperties properties;
    private final CoverageRules rules;

    ParcelEditor(EditStore store, TransactionTemplate tx, ApplicationEventPublisher events, EditingProperties properties) {
        this.store = store;
        this.tx = tx;
        this.events = events;
        this.properties = properties;
        this.rules = new CoverageRules(properties, store.factory());
    }

    // ------------------------------------------------------------------ geometry helpers for the protocol edges

    /** A GeoJSON geometry in {@code crs}, in the storage CRS. */
    public Geometry fromGeoJson(String geoJson, SupportedCrs crs) {
        return store.fromGeoJson(geoJson, crs.srid());
    }

    /** A storage-CRS geometry as GeoJSON in {@code crs}. */
    public String toGeoJson(Geometry g, SupportedCrs crs) {
        return store.toGeoJson(g, crs.srid(), crs.precision());
    }

    public int storageSrid() {
        return store.storageSrid();
    }

    // ------------------------------------------------------------------ the transactions

    /**
     * Splits a current version by a line or polygon (storage CRS) into two or more new parcels that cover it
     * exactly; {@code children} (optional, one per piece in reading order) give numbers and attributes, otherwise
     * the pieces take the sheet's next free numbers and the parent's land use and address.
     */
    public EditResult split(EditMeta meta, long versionId, Geometry cut, List<ParcelAttributes> children) {
        return run(meta, "split", List.of(versionId), () -> {
            Version parent = current(versionId);
            List<Polygon> pieces = ParcelCutter.cut(parent.geom(), store.toStorage(cut));
            if (pieces.size() < 2) {
                throw EditRejected.rules(List.of(new Violation("cut-does-not-divide",
                        "Đường cắt không chia thửa thành hai phần trở lên / the cut does not divide the parcel in two or more pieces",
                        cut.getInteriorPoint(), parent.id())));
            }
            List<ParcelAttributes> specs = children == null ? List.of() : children;
            if (!specs.isEmpty() && specs.size() != pieces.size()) {
                throw EditRejected.invalid("children-count", "Đường cắt tạo " + pieces.size() + " thửa nhưng có " + specs.size()
                        + " mô tả / the cut makes " + pieces.size() + " parcels but " + specs.size() + " children are described");
            }
            Plan plan = new Plan("split", meta);
            plan.close.put(parent.id(), parent);
            plan.coverParents = true;
            ParcelAttributes inherited = new ParcelAttributes(null, parent.landUseCode(), null, parent.address(), null, parent.landUseOther());
            for (int i = 0; i < pieces.size(); i++) {
                ParcelAttributes spec = specs.isEmpty() ? ParcelAttributes.KEEP : specs.get(i);
                Plan.Opening o = new Plan.Opening(null, parent.communeCode(), parent.sheetNo(), spec.over(inherited), pieces.get(i), "child-" + (i + 1));
                o.parents.add(parent.id());
                o.drawn = true;
                o.legalAreaGiven = spec.legalArea() != null;
                plan.open.add(o);
            }
            plan.details.put("cut", cut.getGeometryType());
            return plan;
        });
    }

    /** Merges two or more adjacent current versions of one map sheet into one new parcel. */
    public EditResult merge(EditMeta meta, List<Long> versionIds, ParcelAttributes merged) {
        List<Long> ids = distinct(versionIds);
        return run(meta, "merge", ids, () -> {
            if (ids.size() < 2) {
                throw EditRejected.invalid("merge-needs-two", "Cần hai thửa trở lên / a merge needs two parcels or more");
            }
            List<Version> parents = ids.stream().map(this::current).toList();
            Version first = parents.getFirst();
            List<Violation> violations = new ArrayList<>();
            for (Version v : parents) {
                if (!v.communeCode().equals(first.communeCode()) || v.sheetNo() != first.sheetNo()) {
                    violations.add(new Violation("merge-different-sheet", "Chỉ gộp các thửa cùng tờ bản đồ / only parcels of one map sheet merge: "
                            + v.communeCode() + "/" + v.sheetNo() + " ≠ " + first.communeCode() + "/" + first.sheetNo(),
                            v.geom().getInteriorPoint(), v.id()));
                }
            }
            Geometry union = rules.union(parents.stream().map(Version::geom).toList());
            if (!(union instanceof Polygon)) {
                for (int i = 1; i < union.getNumGeometries(); i++) {
                    violations.add(new Violation("merge-not-adjacent", "Các thửa không liền kề (không chung cạnh) / the parcels are not adjacent (share no edge)",
                            union.getGeometryN(i).getInteriorPoint(), null));
                }
            }
            ParcelAttributes given = merged == null ? ParcelAttributes.KEEP : merged;
            Set<String> uses = new LinkedHashSet<>(parents.stream().map(v -> v.attributes().landUses()).toList());
            if (given.landUseCode() == null && uses.size() > 1) {
                violations.add(new Violation("land-use-ambiguous", "Các thửa có mục đích sử dụng khác nhau " + uses
                        + ", cần chọn một / the parcels have different land uses " + uses + ": give landUseCode", union.getInteriorPoint(), null));
            }
            if (!violations.isEmpty()) {
                throw EditRejected.rules(violations);
            }
            BigDecimal legal = parents.stream().allMatch(v -> v.legalArea() != null)
                    ? parents.stream().map(Version::legalArea).reduce(BigDecimal.ZERO, BigDecimal::add) : null;
            // the merged parcel keeps every other purpose any of its parts had (less the main one: over() drops it)
            List<String> others = parents.stream().flatMap(v -> v.landUseOther().stream()).distinct().toList();
            ParcelAttributes base = new ParcelAttributes(null, first.landUseCode(), legal, first.address(), null, others);
            Plan plan = new Plan("merge", meta);
            parents.forEach(v -> plan.close.put(v.id(), v));
            plan.coverParents = true;
            Plan.Opening o = new Plan.Opening(null, first.communeCode(), first.sheetNo(), given.over(base), union, "merged");
            o.parents.addAll(ids);
            o.legalAreaGiven = given.legalArea() != null;
            plan.open.add(o);
            return plan;
        });
    }

    /**
     * Moves the boundaries between two or more current versions: each gets its new geometry (storage CRS or any
     * SRID), together they must cover exactly what they covered, so no neighbour outside the edit is touched.
     */
    public EditResult moveBoundary(EditMeta meta, Map<Long, Geometry> geometries) {
        List<Long> ids = new ArrayList<>(new TreeMap<>(geometries).keySet());
        return run(meta, "boundary", ids, () -> {
            if (ids.size() < 2) {
                throw EditRejected.invalid("boundary-needs-two", "Ranh giới chung cần hai thửa trở lên / a shared boundary needs two parcels or more");
            }
            Plan plan = new Plan("boundary", meta);
            plan.coverParents = true;
            for (long id : ids) {
                Version v = current(id);
                plan.close.put(id, v);
                Plan.Opening o = Plan.Opening.copyOf(v, "parcel-" + id);
                o.geom = store.toStorage(geometries.get(id));
                o.drawn = true;
                plan.open.add(o);
            }
            return plan;
        });
    }

    /** New attributes for a current version (land use, address, number, legal area with its reason). */
    public EditResult editAttributes(EditMeta meta, long versionId, ParcelAttributes changes) {
        return run(meta, "attributes", List.of(versionId), () -> {
            Version v = current(versionId);
            ParcelAttributes next = changes.over(v.attributes());
            if (next.equals(v.attributes()) && changes.areaReason() == null) {
                throw EditRejected.invalid("nothing-to-change", "Không có gì thay đổi / nothing changes");
            }
            Plan plan = new Plan("attributes", meta);
            plan.close.put(v.id(), v);
            Plan.Opening o = Plan.Opening.copyOf(v, "parcel-" + v.id());
            o.attributes = next;
            o.legalAreaGiven = changes.legalArea() != null;
            plan.open.add(o);
            plan.details.put("changed", changed(v.attributes(), next));
            return plan;
        });
    }

    /**
     * Undoes the last change of {@code meta.dossier()} that is not undone yet, as a new change: the versions it opened
     * are closed and copies of the versions it closed are opened. Refused (409) when something it opened has been
     * edited since.
     */
    public EditResult undo(EditMeta meta) {
        return run(meta, "undo", List.of(), () -> {
            long target = store.lastChangeOfDossier(meta.dossier()).orElseThrow(() -> new EditRejected(EditRejected.Reason.NOT_FOUND,
                    "nothing-to-undo", "Hồ sơ không còn thay đổi nào để hoàn tác / the dossier has no change left to undo", List.of(), List.of()));
            Plan plan = new Plan("undo", meta);
            plan.checkGaps = false;
            plan.details.put("undoes", target);
            for (long id : store.versionsOpenedBy(target)) {
                plan.close.put(id, current(id));
            }
            Map<Long, List<Long>> children = new HashMap<>();
            for (long[] e : store.lineageOf(target)) {
                children.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
            }
            for (long id : store.versionsClosedBy(target)) {
                Version old = store.version(id).orElseThrow();
                Plan.Opening o = Plan.Opening.copyOf(old, "restored-" + id);
                o.parents.clear();
                o.parents.addAll(children.getOrDefault(id, List.of(id)));
                plan.open.add(o);
            }
            return plan;
        });
    }

    /**
     * Several actions as one change (a WFS-T Transaction): all are committed or none. Creates must not overlap
     * anything, changed geometries are reshapes checked against their neighbours (no overlap, no new gap).
     */
    public EditResult apply(EditMeta meta, List<ParcelAction> actions) {
        return apply(meta, actions, false);
    }

    /**
     * As {@link #apply(EditMeta, List)}; with {@code followOwnEdits} a version that only the same officer's later
     * edits have closed stands for the current version they lead to. A GIS client keeps the feature ids it loaded
     * (QGIS does until the layer is reloaded): its second save must not conflict with its own first one, while
     * anybody else's change in between still does. New versions are tagged {@code parcel-<id as requested>}.
     */
    public EditResult apply(EditMeta meta, List<ParcelAction> actions, boolean followOwnEdits) {
        List<Long> named = actions.stream().map(a -> switch (a) {
            case ParcelAction.Change c -> c.versionId();
            case ParcelAction.Retire r -> r.versionId();
            case ParcelAction.Create c -> -1L;
        }).filter(id -> id > 0).distinct().toList();
        String kind = kindOf(actions);
        return run(meta, kind, named, () -> {
            if (actions.isEmpty()) {
                throw EditRejected.invalid("nothing-to-change", "Không có thao tác nào / no action");
            }
            if (actions.size() > properties.maxParcels()) {
                throw EditRejected.invalid("too-many", "Quá nhiều thao tác / more than " + properties.maxParcels() + " actions in one edit");
            }
            Plan plan = new Plan(kind, meta);
            Map<Long, Plan.Opening> changed = new LinkedHashMap<>();
            boolean reshaped = false;
            for (ParcelAction a : actions) {
                switch (a) {
                    case ParcelAction.Create c -> {
                        if (!store.communeExists(c.communeCode())) {
                            throw EditRejected.invalid("unknown-commune", "Không có xã / no commune " + c.communeCode());
                        }
                        if (c.sheetNo() <= 0) {
                            throw EditRejected.invalid("invalid-sheet", "Số tờ phải dương / sheet number must be positive");
                        }
                        if (c.attributes().landUseCode() == null) {
                            throw EditRejected.invalid("missing-land-use", "Thiếu mục đích sử dụng / land_use_code is required");
                        }
                        Plan.Opening o = new Plan.Opening(null, c.communeCode(), c.sheetNo(), c.attributes(), store.toStorage(c.geometry()), c.tag());
                        o.drawn = true;
                        o.legalAreaGiven = c.attributes().legalArea() != null;
                        plan.open.add(o);
                    }
                    case ParcelAction.Change c -> {
                        Version v = followOwnEdits ? currentOrOwnSuccessor(c.versionId(), meta.actor()) : current(c.versionId());
                        if (plan.close.containsKey(v.id()) && !changed.containsKey(v.id())) {
                            throw EditRejected.invalid("retired-and-changed", "Thửa vừa bị xóa vừa bị sửa / version " + c.versionId() + " is both deleted and changed");
                        }
                        Plan.Opening o = changed.computeIfAbsent(v.id(), id -> {
                            plan.close.put(id, v);
                            Plan.Opening copy = Plan.Opening.copyOf(v, "parcel-" + c.versionId());
                            plan.open.add(copy);
                            return copy;
                        });
                        o.attributes = c.attributes().over(o.attributes);
                        o.legalAreaGiven |= c.attributes().legalArea() != null;
                        if (c.geometry() != null) {
                            o.geom = store.toStorage(c.geometry());
                            o.drawn = true;
                            reshaped = true;
                        }
                    }
                    case ParcelAction.Retire r -> {
                        Version v = followOwnEdits ? currentOrOwnSuccessor(r.versionId(), meta.actor()) : current(r.versionId());
                        if (plan.close.containsKey(v.id())) {
                            throw EditRejected.invalid("retired-and-changed", "Thửa bị xóa hai lần hoặc vừa sửa vừa xóa / version "
                                    + r.versionId() + " is deleted twice or both changed and deleted");
                        }
                        plan.close.put(v.id(), v);
                    }
                }
            }
            plan.checkGaps = reshaped;
            return plan;
        });
    }

    private static String kindOf(List<ParcelAction> actions) {
        Set<String> kinds = new LinkedHashSet<>();
        for (ParcelAction a : actions) {
            kinds.add(switch (a) {
                case ParcelAction.Create c -> "create";
                case ParcelAction.Retire r -> "retire";
                case ParcelAction.Change c -> c.geometry() != null ? "boundary" : "attributes";
            });
        }
        return kinds.size() == 1 ? kinds.iterator().next() : "transaction";
    }

    // ------------------------------------------------------------------ planning helpers

    /** The version, which must exist and be current (else 404, or 409 with what replaced it). */
    private Version current(long id) {
        Version v = store.version(id).orElseThrow(() -> EditRejected.notFound("Không có phiên bản thửa / no parcel version " + id));
        if (!v.current()) {
            throw conflict(List.of(id));
        }
        return v;
    }

    /** The current version, or the current one that only {@code actor}'s own edits of the same parcel led to (else 409). */
    private Version currentOrOwnSuccessor(long id, String actor) {
        Version v = store.version(id).orElseThrow(() -> EditRejected.notFound("Không có phiên bản thửa / no parcel version " + id));
        if (v.current()) {
            return v;
        }
        return store.ownSuccessor(id, actor).flatMap(store::version).filter(Version::current).orElseThrow(() -> conflict(List.of(id)));
    }

    private EditRejected conflict(Collection<Long> stale) {
        return new EditRejected(EditRejected.Reason.CONFLICT, "version-conflict",
                "Thửa đã bị thay đổi bởi người khác; hãy tải lại / the parcel was changed meanwhile: versions " + stale
                        + " are no longer current; reload and edit the current versions", List.of(), store.currentState(stale));
    }

    private static List<Long> distinct(List<Long> ids) {
        return ids == null ? List.of() : ids.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }

    private static Map<String, Object> changed(ParcelAttributes before, ParcelAttributes after) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!Objects.equals(before.parcelNo(), after.parcelNo())) {
            m.put("parcelNo", List.of(before.parcelNo(), after.parcelNo()));
        }
        if (!Objects.equals(before.landUseCode(), after.landUseCode())) {
            m.put("landUseCode", List.of(before.landUseCode(), after.landUseCode()));
        }
        if (!Objects.equals(before.landUses(), after.landUses())) {
            m.put("landUses", List.of(before.landUses(), after.landUses()));
        }
        if (!Objects.equals(before.address(), after.address())) {
            m.put("address", java.util.Arrays.asList(before.address(), after.address()));
        }
        if (!Objects.equals(before.legalArea(), after.legalArea())) {
            m.put("legalArea", java.util.Arrays.asList(before.legalArea(), after.legalArea()));
        }
        return m;
    }

    // ------------------------------------------------------------------ commit

    /** Plans and commits; a refusal is audited (outside the rolled-back transaction) and rethrown. */
    private EditResult run(EditMeta meta, String kind, List<Long> versions, Supplier<Plan> planner) {
        EditResult result;
        try {
            Plan plan = planner.get();
            result = tx.execute(status -> write(plan));
        } catch (EditRejected e) {
            reject(meta, kind, versions, e);
            throw e;
        } catch (DuplicateKeyException e) {
            EditRejected c = new EditRejected(EditRejected.Reason.CONFLICT, "parcel-number-taken",
                    "Số thửa vừa được dùng bởi thay đổi khác / a parcel number was taken meanwhile; try again", List.of(), List.of());
            reject(meta, kind, versions, c);
            throw c;
        } catch (PessimisticLockingFailureException e) {
            EditRejected c = new EditRejected(EditRejected.Reason.CONFLICT, "lock-conflict",
                    "Thửa đang được người khác sửa / the parcels are being edited by someone else; try again", List.of(), List.of());
            reject(meta, kind, versions, c);
            throw c;
        }
        events.publishEvent(new RegisterChanged(result.changeId(), result.extent(), store.storageSrid()));
        return result;
    }

    private void reject(EditMeta meta, String kind, List<Long> versions, EditRejected e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dossier", meta.dossier());
        details.put("kind", kind);
        details.put("versions", versions);
        details.put("status", e.reason().status());
        details.put("code", e.code());
        details.put("rules", e.violations().stream().map(Violation::rule).distinct().toList());
        try {
            store.audit(meta.actor(), "edit-rejected", "dossier:" + meta.dossier(), details, null, null);
        } catch (RuntimeException auditFailure) {
            log.warn("could not audit a rejected edit of dossier {}", meta.dossier(), auditFailure);
        }
    }

    private EditResult write(Plan plan) {
        EditMeta meta = plan.meta;
        store.actor(meta.actor());
        List<Geometry> touched = new ArrayList<>();
        plan.close.values().forEach(v -> touched.add(v.geom()));
        plan.open.forEach(o -> touched.add(o.geom));
        Geometry near = store.factory().buildGeometry(touched);
        // the area first (advisory locks on grid cells), then, in a new statement that sees every edit committed
        // before, the rows
        Envelope held = store.lockArea(near, properties.snapToleranceM());
        List<Version> locked = store.lockNear(plan.close.keySet(), near, properties.snapToleranceM());
        Envelope reached = new Envelope();
        locked.forEach(v -> reached.expandToInclude(v.geom().getEnvelopeInternal()));
        if (!reached.isNull() && !held.covers(reached)) {
            // a neighbour grew out of the locked area between measuring it and locking it: measure again
            throw new EditRejected(EditRejected.Reason.CONFLICT, "lock-conflict",
                    "Khu vực vừa được người khác sửa / the neighbourhood was edited meanwhile; try again", List.of(), List.of());
        }
        Set<Long> lockedIds = new LinkedHashSet<>(locked.stream().map(Version::id).toList());
        List<Long> stale = plan.close.keySet().stream().filter(id -> !lockedIds.contains(id)).toList();
        if (!stale.isEmpty()) {
            throw conflict(stale);
        }
        List<Version> neighbours = new ArrayList<>(locked.stream().filter(v -> !plan.close.containsKey(v.id())).toList());

        // snap drawn geometries onto the neighbourhood, then node the neighbours they meet
        List<Geometry> reference = new ArrayList<>();
        neighbours.forEach(v -> reference.add(v.geom()));
        plan.close.values().forEach(v -> reference.add(v.geom()));
        List<Geometry> drawn = new ArrayList<>();
        for (Plan.Opening o : plan.open) {
            if (o.drawn) {
                // onto the neighbours, the old versions, and the new parcels snapped before it (two new parcels that
                // share a new boundary computed twice get the very same vertices)
                o.geom = rules.snap(o.geom, reference);
                reference.add(o.geom);
                drawn.add(o.geom);
            }
        }
        if (!drawn.isEmpty()) {
            for (var it = neighbours.iterator(); it.hasNext(); ) {
                Version n = it.next();
                Geometry noded = rules.node(n.geom(), drawn);
                if (noded != n.geom()) {
                    it.remove();
                    plan.close.put(n.id(), n);
                    plan.noded.add(n.id());
                    Plan.Opening o = Plan.Opening.copyOf(n, "noded-" + n.id());
                    o.geom = noded;
                    o.noding = true;
                    plan.open.add(o);
                }
            }
        }

        List<Violation> violations = new ArrayList<>();
        checkTopology(plan, neighbours, violations);
        checkRegister(plan, violations);
        if (!violations.isEmpty()) {
            throw EditRejected.rules(violations);
        }

        OffsetDateTime at = store.now();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("dossier", meta.dossier());
        if (meta.decision() != null) {
            details.put("decision", meta.decision());
        }
        if (meta.note() != null) {
            details.put("note", meta.note());
        }
        details.putAll(plan.details);
        details.put("closed", List.copyOf(plan.close.keySet()));
        if (!plan.noded.isEmpty()) {
            details.put("noded", List.copyOf(plan.noded));
        }
        long change = store.insertChange(plan.kind, meta.actor(), meta.reason(), at, details);
        int closed = store.close(plan.close.keySet(), change, at);
        if (closed != plan.close.size()) {
            throw conflict(plan.close.keySet());
        }
        List<EditResult.Opened> opened = new ArrayList<>();
        Envelope extent = new Envelope();
        plan.close.values().forEach(v -> extent.expandToInclude(v.geom().getEnvelopeInternal()));
        for (Plan.Opening o : plan.open) {
            store.open(o, change, at);
            for (long p : o.parents) {
                store.lineage(p, o.versionId, change);
            }
            if (!o.parents.isEmpty()) {
                store.copyRights(o.parents, o.versionId);
            }
            extent.expandToInclude(o.geom.getEnvelopeInternal());
            ParcelAttributes a = o.attributes;
            opened.add(new EditResult.Opened(o.versionId, o.parcelId, o.communeCode, o.sheetNo, a.parcelNo(), a.landUseCode(), a.legalArea(),
                    o.geomArea, a.address(), List.copyOf(o.parents), o.tag, a.otherLandUses() == null ? List.of() : a.otherLandUses()));
        }
        List<Map<String, Object>> before = plan.close.values().stream().map(ParcelEditor::describe).toList();
        store.audit(meta.actor(), "edit-" + plan.kind, "cadastre.change:" + change, details, before,
                opened.stream().map(ParcelEditor::describe).toList());
        return new EditResult(change, plan.kind, meta.dossier(), List.copyOf(plan.close.keySet()), opened, extent, store.storageSrid());
    }

    private void checkTopology(Plan plan, List<Version> neighbours, List<Violation> out) {
        boolean shapesValid = true;
        for (Plan.Opening o : plan.open) {
            int before = out.size();
            rules.checkShape(o.geom, o.noding ? o.parents.getFirst() : null, !o.noding, out);
            shapesValid &= out.size() == before;
        }
        if (!shapesValid) {
            return;   // overlays of invalid polygons say nothing reliable
        }
        for (int i = 0; i < plan.open.size(); i++) {
            Plan.Opening o = plan.open.get(i);
            for (Version n : neighbours) {
                rules.checkOverlap(o.geom, n.geom(), n.id(), out);
            }
            for (int j = i + 1; j < plan.open.size(); j++) {
                rules.checkOverlap(o.geom, plan.open.get(j).geom, null, out);
            }
        }
        // the edit's own parcels: noded neighbours keep their area and take no part
        List<Geometry> edited = plan.open.stream().filter(o -> !o.noding).map(o -> o.geom).toList();
        if (plan.coverParents) {
            rules.checkCover(rules.union(plan.close.values().stream().filter(v -> !plan.noded.contains(v.id())).map(Version::geom).toList()),
                    rules.union(edited), out);
        } else if (plan.checkGaps) {
            Set<Long> parents = new LinkedHashSet<>();
            plan.open.stream().filter(o -> !o.noding).forEach(o -> parents.addAll(o.parents));
            List<Geometry> old = plan.close.values().stream().filter(v -> parents.contains(v.id())).map(Version::geom).toList();
            if (!old.isEmpty() && !edited.isEmpty()) {
                rules.checkGaps(rules.union(old), rules.union(edited), neighbours, out);
            }
        }
    }

    /** Land use, numbers (the sheet's next free ones where none is given), geometric areas, the legal area tolerance. */
    private void checkRegister(Plan plan, List<Violation> out) {
        Map<Long, Version> closed = plan.close;
        // numbering: one advisory lock per sheet, taken in a fixed order
        TreeMap<String, List<Plan.Opening>> bySheet = new TreeMap<>();
        for (Plan.Opening o : plan.open) {
            bySheet.computeIfAbsent(o.communeCode + ":" + String.format("%06d", o.sheetNo), k -> new ArrayList<>()).add(o);
        }
        for (List<Plan.Opening> sheet : bySheet.values()) {
            Plan.Opening first = sheet.getFirst();
            store.lockSheet(first.communeCode, first.sheetNo);
            int next = store.nextParcelNo(first.communeCode, first.sheetNo);
            Set<Integer> used = new java.util.HashSet<>();
            for (Plan.Opening o : sheet) {
                if (o.attributes.parcelNo() == null) {
                    continue;
                }
                boolean keeps = o.parents.stream().map(closed::get).anyMatch(p -> p != null && p.parcelNo() == o.attributes.parcelNo()
                        && p.sheetNo() == o.sheetNo && p.communeCode().equals(o.communeCode));
                if (!used.add(o.attributes.parcelNo()) || !keeps && store.numberTaken(o.communeCode, o.sheetNo, o.attributes.parcelNo(), closed.keySet())) {
                    out.add(new Violation("parcel-number-taken", "Số thửa " + o.attributes.parcelNo() + " đã có trên tờ " + o.sheetNo
                            + " / parcel number " + o.attributes.parcelNo() + " is taken on sheet " + o.sheetNo, o.geom.getInteriorPoint(), null));
                }
            }
            for (Plan.Opening o : sheet) {
                if (o.attributes.parcelNo() == null) {
                    while (used.contains(next)) {
                        next++;
                    }
                    o.attributes = new ParcelAttributes(next, o.attributes.landUseCode(), o.attributes.legalArea(), o.attributes.address(),
                            o.attributes.areaReason(), o.attributes.otherLandUses());
                    used.add(next++);
                }
            }
        }
        for (Plan.Opening o : plan.open) {
            String code = o.attributes.landUseCode();
            boolean inherited = o.parents.stream().map(closed::get).anyMatch(p -> p != null && Objects.equals(p.landUseCode(), code));
            if (!inherited && (code == null || !store.landUseCurrent(code))) {
                out.add(new Violation("unknown-land-use", "Mã mục đích sử dụng không có trong Thông tư 08/2024 / unknown or legacy land-use code "
                        + code, o.geom.getInteriorPoint(), null));
            }
            // the other purposes: each a current code (or one a parent had), none the main one
            List<String> others = o.attributes.otherLandUses() == null ? List.of() : o.attributes.otherLandUses();
            for (String other : others) {
                boolean had = o.parents.stream().map(closed::get).anyMatch(p -> p != null && p.landUseOther().contains(other));
                if (other.equals(code)) {
                    out.add(new Violation("land-use-twice", "Mục đích phụ " + other + " trùng mục đích chính / other land use " + other
                            + " is the main one", o.geom.getInteriorPoint(), null));
                } else if (!had && !store.landUseCurrent(other)) {
                    out.add(new Violation("unknown-land-use", "Mã mục đích sử dụng không có trong Thông tư 08/2024 / unknown or legacy land-use code "
                            + other, o.geom.getInteriorPoint(), null));
                }
            }
            int[] sheet = store.sheet(o.communeCode, o.sheetNo).orElse(new int[] {store.storageSrid(), 1000});
            o.geomArea = store.area(o.geom, sheet[0]);
            BigDecimal legal = o.attributes.legalArea();
            if (o.legalAreaGiven && legal != null && o.attributes.areaReason() == null) {
                double tolerance = areaTolerance(o.geomArea.doubleValue(), sheet[1]);
                double departure = legal.subtract(o.geomArea).abs().doubleValue();
                if (departure > tolerance) {
                    out.add(new Violation("legal-area-beyond-tolerance", String.format(java.util.Locale.ROOT,
                            "Diện tích pháp lý %s m² lệch %s m² so với diện tích hình thể %s m² (cho phép %s m², tỷ lệ 1:%d): cần lý do"
                                    + " / legal area %s m² departs %.1f m² from the geometric %s m² (tolerance %.1f m² at 1:%d): give the reason for the difference",
                            vn.landgis.platform.VietnameseNumbers.format(legal), vn.landgis.platform.VietnameseNumbers.format(departure, 1), vn.landgis.platform.VietnameseNumbers.format(o.geomArea), vn.landgis.platform.VietnameseNumbers.format(tolerance, 1), sheet[1], legal.toPlainString(), departure,
                            o.geomArea.toPlainString(), tolerance, sheet[1]), o.geom.getInteriorPoint(), null));
                }
            }
        }
    }

    /**
     * The largest difference between the registered and the measured area of a parcel that needs no explanation:
     * ΔP = 0.0004 · M · √P m² for a parcel of P m² on a sheet of scale 1:M (Circular 25/2014/TT-BTNMT), the very
     * rule the import's {@code area-mismatch} check and the synthetic generator apply, so an edit and an import
     * judge a parcel alike. (Some readings of the circular double it; change all three together if so.)
     */
    static double areaTolerance(double areaM2, int scale) {
        return 0.0004 * scale * Math.sqrt(Math.max(areaM2, 0));
    }

    private static Map<String, Object> describe(Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("versionId", v.id());
        m.put("parcelId", v.parcelId());
        m.put("communeCode", v.communeCode());
        m.put("sheetNo", v.sheetNo());
        m.put("parcelNo", v.parcelNo());
        m.put("landUseCode", v.landUseCode());
        m.put("otherLandUses", v.landUseOther());
        m.put("legalArea", v.legalArea());
        m.put("geomArea", v.geomArea());
        m.put("address", v.address());
        return m;
    }

    private static Map<String, Object> describe(EditResult.Opened o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("versionId", o.versionId());
        m.put("parcelId", o.parcelId());
        m.put("communeCode", o.communeCode());
        m.put("sheetNo", o.sheetNo());
        m.put("parcelNo", o.parcelNo());
        m.put("landUseCode", o.landUseCode());
        m.put("otherLandUses", o.otherLandUses());
        m.put("legalArea", o.legalArea());
        m.put("geomArea", o.geomArea());
        m.put("address", o.address());
        m.put("parents", o.parents());
        return m;
    }

}
