package vn.landgis.cadastre;

import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import vn.landgis.platform.ApiProblem;

/** Reads the lineage graph of a parcel through the JPA model (Hibernate Spatial). */
@Service
public class ParcelHistoryService {

    private final ParcelVersionRepository versions;

    ParcelHistoryService(ParcelVersionRepository versions) {
        this.versions = versions;
    }

    @Transactional(readOnly = true)
    public ParcelHistory history(long parcelId) {
        List<ParcelVersion> lineage = versions.lineageOf(parcelId);
        if (lineage.isEmpty()) {
            throw ApiProblem.notFound("parcel-not-found", "Không có thửa đất " + parcelId + " / no parcel " + parcelId);
        }
        List<ParcelHistory.Version> nodes = lineage.stream().map(v -> new ParcelHistory.Version(v.id(), v.parcelId(), v.communeCode(),
                v.sheetNo(), v.parcelNo(), v.landUseCode(), v.legalArea(), v.geomArea(), v.address(), v.validFrom(), v.validTo(),
                ParcelHistory.Change.of(v.openedBy()), ParcelHistory.Change.of(v.closedBy()), v.landUseOther())).toList();
        List<ParcelHistory.Edge> edges = versions.lineageEdges(lineage.stream().map(ParcelVersion::id).toList()).stream()
                .map(r -> new ParcelHistory.Edge(((Number) r[0]).longValue(), ((Number) r[1]).longValue(), ((Number) r[2]).longValue()))
                .toList();
        return new ParcelHistory(parcelId, nodes, edges);
    }
}
